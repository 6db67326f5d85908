import { basename } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../shared/log.ts';
import type { ServerConfig } from './config.ts';
import { SERVER_CLOSE_TIMEOUT_MS } from './constants.ts';
import { ServerStartError } from './errors.ts';
import { ProcessTransport } from './process-transport.ts';
import type { McpToolInfo } from './openai-tools.ts';
import { LazyOutputValidators } from './output-validators.ts';
import { SERVER_SPAN_META, type ServerSpanReport, type TraceSpan } from '../shared/tracing.ts';

/** Whether a call failed because its answer did not come within the timeout. */
export function isTimeout(error: unknown): boolean {
  return error instanceof McpError && error.code === ErrorCode.RequestTimeout;
}

/** The span a server reported for a traced call, under the client span whose context it was sent; anything else is ignored. */
function serverSpan(client: TraceSpan, report: unknown): void {
  const r = report as Partial<ServerSpanReport> | undefined;
  if (!r || r.parent !== client.traceparent || typeof r.name !== 'string') return;
  if (typeof r.start_ms !== 'number' || typeof r.end_ms !== 'number' || r.end_ms < r.start_ms) return;
  const attributes = Object.fromEntries(
    Object.entries(r.attributes ?? {}).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)),
  ) as Record<string, string | number | boolean>;
  const span = client.child(r.name, { kind: 'server', attributes, startMs: r.start_ms });
  if (typeof r.error_type === 'string') span.fail(r.error_type);
  span.end(r.end_ms);
}

/**
 * Why a start failed: the process exited (or was killed) before it was ready, it gave no MCP
 * handshake in time, its command does not exist, its URL could not be used, or something else.
 */
export type StartFailure = 'exited' | 'no_handshake' | 'command_not_found' | 'unreachable' | 'other';

/** Lifecycle of one server process as the pool sees it. */
export type ServerState = 'starting' | 'ready' | 'crashed' | 'restarting' | 'unavailable' | 'closed';

/** The server beneath a wrapped transport, as far as a wrapper may touch it. */
export interface WrappedServer {
  readonly name: string;
  /** The process id once started (stdio servers). */
  readonly pid: number | undefined;
  /** Ends the server abruptly: SIGKILL to its process group. */
  kill(): void;
}

/** A server's resources (URIs), resource templates and prompt names. */
export interface ServerCatalog {
  readonly resources: readonly string[];
  readonly templates: readonly string[];
  readonly prompts: readonly string[];
}

/** Puts a transport of its own between the client and a server's transport (fault injection). */
export type TransportWrapper = (inner: Transport, server: WrappedServer) => Transport;

/** How to start one server. */
export interface ConnectionOptions {
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly startTimeoutMs: number;
  readonly memoryLimitMb: number;
  readonly logger?: Logger | undefined;
  readonly wrapTransport?: TransportWrapper | undefined;
}

const STDERR_LINES_KEPT = 20;

function isNode(command: string, execPath: string): boolean {
  return command === execPath || /^node(?:\.exe)?$/.test(basename(command));
}

/** The argument list, with a heap limit first when the server is a node process. */
export function serverArgs(config: ServerConfig, memoryLimitMb: number, execPath: string): string[] {
  const limit = config.memoryLimitMb ?? memoryLimitMb;
  const hasLimit = config.args.some((arg) => arg.startsWith('--max-old-space-size'));
  return config.command !== undefined && isNode(config.command, execPath) && !hasLimit
    ? [`--max-old-space-size=${limit}`, ...config.args]
    : [...config.args];
}

/**
 * One MCP server process and its client session. Knows nothing of other servers; the pool
 * decides about restarts and availability.
 */
export class ServerConnection {
  readonly name: string;
  readonly config: ServerConfig;
  state: ServerState = 'starting';
  tools: McpToolInfo[] = [];
  restarts = 0;
  lastError: string | undefined;
  /** Why the last start failed; undefined once a start succeeds. */
  startFailure: StartFailure | undefined;
  /** How long the last start took, and the tools/list part of it. */
  startMs = 0;
  discoveryMs = 0;
  #client: Client | undefined;
  #transport: ProcessTransport | StreamableHTTPClientTransport | undefined;
  #stderr: string[] = [];
  #closing = false;
  readonly #options: ConnectionOptions;

  constructor(name: string, config: ServerConfig, options: ConnectionOptions) {
    this.name = name;
    this.config = config;
    this.#options = options;
  }

  /** Process id of the running server, if any. */
  get pid(): number | undefined {
    return this.#transport instanceof ProcessTransport ? this.#transport.pid : undefined;
  }

  /** The last lines the server wrote to stderr (for start-up diagnostics). */
  get stderrTail(): string {
    return this.#stderr.join('\n');
  }

  /** Spawns the process (or reaches the URL), completes the MCP handshake and lists the tools, all within the start timeout. */
  async start(): Promise<void> {
    this.state = 'starting';
    this.#closing = false;
    const { transport, server } = this.#openTransport();
    this.#transport = transport;
    const client = new Client(
      { name: 'mcp-helpdesk', version: '0.1.0' },
      { capabilities: {}, jsonSchemaValidator: new LazyOutputValidators() },
    );
    client.onclose = () => this.#onClose();
    client.onerror = (error) => this.#recordStderr(`[transport] ${error.message}`);
    this.#client = client;
    const wire = this.#options.wrapTransport ? this.#options.wrapTransport(transport, server) : transport;
    const timeout = this.#options.startTimeoutMs;
    const started = performance.now();
    try {
      await client.connect(wire, { timeout });
      const connected = performance.now();
      this.tools = await this.#listAllTools(timeout);
      this.discoveryMs = performance.now() - connected;
      this.startMs = performance.now() - started;
      this.state = 'ready';
      this.lastError = undefined;
      this.startFailure = undefined;
    } catch (error) {
      const { kind, message } = this.#describeStartFailure(error);
      this.lastError = message;
      this.startFailure = kind;
      await this.stop();
      this.state = 'unavailable';
      throw new ServerStartError(this.name, message, this.stderrTail, { cause: error });
    }
  }

  /** The transport to this server: a child process over stdio, or a Streamable HTTP endpoint. */
  #openTransport(): { transport: ProcessTransport | StreamableHTTPClientTransport; server: WrappedServer } {
    const { name, config } = this;
    if (config.url !== undefined) {
      const transport = new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: { ...config.headers } } });
      // An HTTP server is not ours to kill: the closest to a crash is losing the connection.
      return { transport, server: { name, pid: undefined, kill: () => void transport.close() } };
    }
    const transport = new ProcessTransport({
      command: config.command ?? '',
      args: serverArgs(config, this.#options.memoryLimitMb, process.execPath),
      env: { ...this.#options.baseEnv, ...config.env },
      cwd: config.cwd,
      closeTimeoutMs: SERVER_CLOSE_TIMEOUT_MS,
    });
    transport.stderr.on('data', (chunk: Buffer) => this.#recordStderr(chunk.toString('utf8')));
    return {
      transport,
      server: {
        name,
        get pid() {
          return transport.pid;
        },
        kill: () => transport.kill(),
      },
    };
  }

  /**
   * What the server offers besides tools, for listings (`helpdesk tools`): its resources (every
   * page), resource templates and prompts, each empty when the server does not declare it.
   */
  async catalog(timeoutMs: number): Promise<ServerCatalog> {
    const client = this.#client;
    const capabilities = client?.getServerCapabilities();
    if (!client || !capabilities) return { resources: [], templates: [], prompts: [] };
    const resources: string[] = [];
    let templates: string[] = [];
    let prompts: string[] = [];
    if (capabilities.resources) {
      let cursor: string | undefined;
      do {
        const page = await client.listResources(cursor ? { cursor } : undefined, { timeout: timeoutMs });
        resources.push(...page.resources.map((r) => r.uri));
        cursor = page.nextCursor;
      } while (cursor);
      templates = (await client.listResourceTemplates(undefined, { timeout: timeoutMs })).resourceTemplates.map((t) => t.uriTemplate);
    }
    if (capabilities.prompts) prompts = (await client.listPrompts(undefined, { timeout: timeoutMs })).prompts.map((p) => p.name);
    return { resources, templates, prompts };
  }

  /**
   * Calls a tool on this server; throws on transport failure, timeout or abort. Traced, the call
   * is an MCP client span under `trace` whose context goes to the server in `params._meta`
   * (traceparent), and the span our servers report back in the result's `_meta` goes under it.
   */
  async callTool(
    tool: string,
    args: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
    trace?: TraceSpan,
  ): Promise<CallToolResult> {
    const client = this.#client;
    if (!client || this.state !== 'ready') throw new Error(`server ${this.name} is ${this.state}`);
    const options = { timeout: timeoutMs, ...(signal ? { signal } : {}) };
    if (!trace) return (await client.callTool({ name: tool, arguments: args }, undefined, options)) as CallToolResult;
    const http = this.#transport instanceof StreamableHTTPClientTransport;
    const span = trace.child(`tools/call ${tool}`, {
      kind: 'client',
      attributes: {
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': tool,
        'gen_ai.operation.name': 'execute_tool',
        'mcp.session.id': http ? (this.#transport as StreamableHTTPClientTransport).sessionId : undefined,
        'network.transport': http ? 'tcp' : 'pipe',
        'network.protocol.name': http ? 'http' : undefined,
        'helpdesk.server': this.name,
      },
    });
    try {
      const result = (await client.callTool(
        { name: tool, arguments: args, _meta: { traceparent: span.traceparent } },
        undefined,
        options,
      )) as CallToolResult;
      serverSpan(span, result._meta?.[SERVER_SPAN_META]);
      if (result.isError) span.fail('tool_error');
      return result;
    } catch (error) {
      span.fail(signal?.aborted ? 'aborted' : isTimeout(error) ? 'timeout' : 'transport_error', (error as Error)?.message);
      throw error;
    } finally {
      span.end();
    }
  }

  /** Ends the session and the process: stdin closed, then SIGTERM, then SIGKILL, bounded in time. */
  async stop(): Promise<void> {
    this.#closing = true;
    const client = this.#client;
    const transport = this.#transport;
    this.#client = undefined;
    this.#transport = undefined;
    // The transport's close is bounded (stdin end, SIGTERM, SIGKILL to the process group); the
    // client's close only adds the session's own bookkeeping. An HTTP session is ended with a
    // DELETE first, as the protocol asks, bounded too.
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
      await Promise.race([
        transport.terminateSession().catch(() => undefined),
        new Promise((r) => setTimeout(r, SERVER_CLOSE_TIMEOUT_MS).unref()),
      ]);
    }
    await Promise.allSettled([client?.close(), transport?.close()]);
    if (this.state !== 'unavailable') this.state = 'closed';
  }

  async #listAllTools(timeout: number): Promise<McpToolInfo[]> {
    const client = this.#client;
    if (!client) return [];
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout });
      tools.push(
        ...page.tools.map((t) => ({
          name: t.name,
          description: t.description,
          inputSchema: t.inputSchema,
          ...(t.annotations?.readOnlyHint !== undefined ? { readOnly: t.annotations.readOnlyHint } : {}),
        })),
      );
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  #onClose(): void {
    if (this.#closing || this.state !== 'ready') return;
    this.state = 'crashed';
    // Stable words only: this text reaches the model (and recordings); stderr timing does not.
    this.lastError = 'the process exited unexpectedly';
    this.#options.logger?.warn(`server ${this.name} stopped unexpectedly`, { pid: this.pid });
  }

  #recordStderr(text: string): void {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      this.#stderr.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
      this.#options.logger?.debug(`[${this.name}] ${line}`);
    }
    if (this.#stderr.length > STDERR_LINES_KEPT) this.#stderr.splice(0, this.#stderr.length - STDERR_LINES_KEPT);
  }

  #describeStartFailure(error: unknown): { kind: StartFailure; message: string } {
    const text = error instanceof Error ? error.message : String(error);
    const url = this.config.url;
    if (url !== undefined) return { kind: 'unreachable', message: describeHttpFailure(url, error, this.#options.startTimeoutMs) };
    if (/ENOENT/.test(text)) return { kind: 'command_not_found', message: `command not found: ${this.config.command}` };
    if (/timed out|Request timed out/i.test(text)) {
      return {
        kind: 'no_handshake',
        message: `no MCP handshake within ${this.#options.startTimeoutMs} ms (is it an MCP server writing JSON-RPC on stdout?)`,
      };
    }
    if (/Connection closed/i.test(text)) return { kind: 'exited', message: 'the process exited during start-up' };
    return { kind: 'other', message: text };
  }
}

/** Why an HTTP server could not be reached, in words that say what to check. */
export function describeHttpFailure(url: string, error: unknown, timeoutMs: number): string {
  const text = error instanceof Error ? error.message : String(error);
  const status = httpStatus(error);
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  if (status === 401 || status === 403)
    return `${url} refused the request (HTTP ${status}): check the server's headers (e.g. its bearer token)`;
  if (status === 404) return `no MCP endpoint at ${url} (HTTP 404): check the path`;
  if (status !== undefined) return `${url} answered HTTP ${status}: ${text.replace(/^Streamable HTTP error: /, '')}`;
  if (cause === 'ECONNREFUSED') return `cannot connect to ${url} (connection refused): is the server running?`;
  if (cause === 'ENOTFOUND') return `cannot resolve the host of ${url}`;
  if (/timed out/i.test(text)) return `no MCP handshake from ${url} within ${timeoutMs} ms`;
  return `${url}: ${text}`;
}

/** The HTTP status of an error from the Streamable HTTP client, if it carries one. */
export function httpStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || !error.message.startsWith('Streamable HTTP error')) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
