import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { WrappedServer } from '../../orchestrator/server-connection.ts';
import { FAULT_DEFAULTS, type Fault } from './fault.ts';

type Message = JSONRPCMessage & { id?: RequestId; method?: string; params?: { name?: unknown } };

/** Where a faulty transport learns which calls to fault (the run's FaultPlan). */
export interface FaultSource {
  /** The fault that hits this tools/call, if any. */
  decide(server: string, tool: string): Fault | undefined;
  /** Every server process seen (to check none is left behind). */
  readonly pids: Set<number>;
}

/** What becomes of the answer to a faulted call. */
type Fate = { readonly drop: true } | { readonly fault: Fault };

const FILLER = 'All systems nominal. ';

/** The server's own answer with its text padded to size_bytes (structured content kept, so it stays valid). */
function padded(answer: Message, fault: Fault): JSONRPCMessage {
  const size = fault.size_bytes ?? FAULT_DEFAULTS.size_bytes;
  const result = (answer as { result?: Record<string, unknown> }).result ?? {};
  const text = FILLER.repeat(Math.ceil(size / FILLER.length)).slice(0, size);
  return { jsonrpc: '2.0', id: answer.id as RequestId, result: { ...result, content: [{ type: 'text', text }] } };
}

/** An answer in place of the server's, for the faults that answer falsely. */
function falseAnswer(fault: Fault, answer: Message): JSONRPCMessage | undefined {
  const id = answer.id as RequestId;
  switch (fault.kind) {
    case 'protocol_error':
      return { jsonrpc: '2.0', id, error: { code: -32603, message: fault.message ?? FAULT_DEFAULTS.protocol_error } };
    case 'tool_error':
      return {
        jsonrpc: '2.0',
        id,
        result: { isError: true, content: [{ type: 'text', text: fault.message ?? FAULT_DEFAULTS.tool_error }] },
      };
    case 'oversized':
      return padded(answer, fault);
    case 'garbage':
      // Well-formed JSON-RPC carrying a result that is no tool result: the client must refuse it.
      return { jsonrpc: '2.0', id, result: { content: '\u0000\u00ff\u00fe garbage' } } as unknown as JSONRPCMessage;
    default:
      return undefined;
  }
}

/**
 * A transport between the client and a server's own transport that makes tools/call requests
 * fail the way the plan says: it kills the server or drops the connection mid-call, swallows,
 * delays or replaces the answer. Everything else (initialize, tools/list, notifications) passes
 * through untouched, so any server — ours, a fixture, a third party's — can be faulted unchanged.
 */
export class FaultyTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  readonly #inner: Transport;
  readonly #server: WrappedServer;
  readonly #plan: FaultSource;
  readonly #fates = new Map<RequestId, Fate>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(inner: Transport, server: WrappedServer, plan: FaultSource) {
    this.#inner = inner;
    this.#server = server;
    this.#plan = plan;
    inner.onmessage = (message, extra) => this.#receive(message, extra);
    inner.onerror = (error) => this.onerror?.(error);
    inner.onclose = () => {
      for (const timer of this.#timers) clearTimeout(timer);
      this.#timers.clear();
      this.onclose?.();
    };
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.#inner.setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    await this.#inner.start();
    if (this.#server.pid !== undefined) this.#plan.pids.add(this.#server.pid);
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const request = message as Message;
    const fault =
      request.method === 'tools/call' && request.id !== undefined
        ? this.#plan.decide(this.#server.name, String(request.params?.name ?? ''))
        : undefined;
    if (!fault || request.id === undefined) return this.#inner.send(message, options);
    const drops = fault.kind === 'crash' || fault.kind === 'hang' || fault.kind === 'disconnect';
    this.#fates.set(request.id, drops ? { drop: true } : { fault });
    await this.#inner.send(message, options);
    // The call is on its way to the server when the server dies or the line drops.
    if (fault.kind === 'crash') this.#server.kill();
    if (fault.kind === 'disconnect') void this.#inner.close();
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#inner.close();
  }

  #receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    const answer = message as Message;
    const fate = answer.id !== undefined && answer.method === undefined ? this.#fates.get(answer.id) : undefined;
    if (!fate || answer.id === undefined) {
      this.onmessage?.(message, extra);
      return;
    }
    this.#fates.delete(answer.id);
    if ('drop' in fate) return;
    if (fate.fault.kind === 'slow') {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.onmessage?.(message, extra);
      }, fate.fault.delay_ms ?? FAULT_DEFAULTS.delay_ms);
      this.#timers.add(timer);
      return;
    }
    if (fate.fault.kind === 'garbage') {
      this.onerror?.(new SyntaxError(`${this.#server.name} wrote a line that is not JSON: "\\u0000\\u00ff garbage"`));
    }
    const replaced = falseAnswer(fate.fault, answer);
    if (replaced) this.onmessage?.(replaced, extra);
  }
}
