import { McpError, ErrorCode, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { TraceSpan } from '../shared/tracing.ts';
import type { ErrorEnvelope } from '../shared/envelope.ts';
import type { Logger } from '../shared/log.ts';
import type { ServersConfig } from './config.ts';
import {
  SERVER_MEMORY_LIMIT_MB,
  SERVER_RESTARTS,
  SERVER_START_RETRIES,
  SERVER_START_TIMEOUT_MS,
  TOOL_ARGUMENTS_MAX_BYTES,
  TOOL_RESULT_MAX_BYTES,
  TOOL_TIMEOUT_MS,
} from './constants.ts';
import {
  argumentsTooLargeEnvelope,
  envelopeFromErrorResult,
  resultTooLargeEnvelope,
  serverCrashedEnvelope,
  serverUnavailableEnvelope,
  toolCallFailedEnvelope,
  toolTimeoutEnvelope,
  unknownToolEnvelope,
} from './envelopes.ts';
import { ServerStartError } from './errors.ts';
import { killProcessGroup } from './process-transport.ts';
import {
  httpStatus,
  isTimeout,
  ServerConnection,
  type ServerCatalog,
  type ServerState,
  type TransportWrapper,
} from './server-connection.ts';
import type { ToolCallOutcome, ToolRouter } from './tool-router.ts';
import type { OpenAIFunctionTool } from './openai-tools.ts';
import { ToolRegistry } from './tool-registry.ts';

/** Settings of a pool; the CLI fills them from flags and the environment. */
export interface PoolOptions {
  /** Environment every server starts with (already stripped of secrets by the caller). */
  readonly baseEnv?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  readonly startTimeoutMs?: number;
  readonly toolTimeoutMs?: number;
  readonly memoryLimitMb?: number;
  readonly restarts?: number;
  /** Starts again of a server that exits during start-up, before the pool fails (default SERVER_START_RETRIES). */
  readonly startRetries?: number;
  /**
   * Wraps each server's transport when it starts (and restarts): the seam where the harness
   * injects faults between this pool and any server. Never set in normal runs.
   */
  readonly wrapTransport?: TransportWrapper;
}

/** A server's health, for the `servers` command and the transcript. */
export interface ServerStatus {
  readonly name: string;
  /** How the pool reaches it: a child process over stdio, or a Streamable HTTP endpoint. */
  readonly transport: 'stdio' | 'http';
  /** The endpoint of an http server. */
  readonly url: string | undefined;
  readonly state: ServerState;
  readonly pid: number | undefined;
  readonly tools: number;
  readonly restarts: number;
  readonly lastError: string | undefined;
  readonly startMs: number;
  readonly discoveryMs: number;
  /** The server's last stderr lines: what it said before failing. */
  readonly stderrTail: string;
}

type PoolSettings = Required<Omit<PoolOptions, 'logger' | 'wrapTransport'>> & {
  readonly logger?: Logger | undefined;
  readonly wrapTransport?: TransportWrapper | undefined;
};

const NO_CONTENT = JSON.stringify({ result: 'Tool executed successfully but returned no content' });

function resultText(result: CallToolResult): string {
  const parts = result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type} content omitted]`));
  if (parts.length > 0) return parts.join('\n');
  return result.structuredContent ? JSON.stringify(result.structuredContent) : NO_CONTENT;
}

/**
 * Whether a call failed because the connection is gone, and whether the call had reached the
 * server then: `in_flight` when the connection closed while the call waited for its answer,
 * `not_sent` when it could not even be written. Undefined for any other failure.
 */
function transportFailure(error: unknown): 'in_flight' | 'not_sent' | undefined {
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed ? 'in_flight' : undefined;
  if (!(error instanceof Error)) return undefined;
  // HTTP: a 404 is the server's "no such session" (it restarted or reclaimed ours): the call was
  // refused, not run, so it is sent again on a new session. A refused connection sent nothing; a
  // connection lost mid-request may have delivered the call, so that one is not resent.
  if (httpStatus(error) === 404) return 'not_sent';
  if (error.message === 'fetch failed') {
    return (error.cause as { code?: string } | undefined)?.code === 'ECONNREFUSED' ? 'not_sent' : 'in_flight';
  }
  return /Not connected|EPIPE|write after end|is crashed|is restarting/.test(error.message) ? 'not_sent' : undefined;
}

/** A failed call's reason for the model: the server's message, or a sentence for an answer that is not a tool result. */
function describeCallError(server: string, error: unknown): string {
  if (error instanceof Error && Array.isArray((error as { issues?: unknown }).issues))
    return `The ${server} server answered with something that is not a valid tool result.`;
  return error instanceof Error ? error.message : String(error);
}

const openPools = new Set<ServerPool>();
/** Servers of pools still starting: not in a pool yet, but running. */
const startingServers = new Set<ServerConnection>();
let exitHookInstalled = false;

/**
 * Last line of defence against orphans: when the process exits with pools still open, kill the
 * process group of every server still running. Pids are read at exit from the live connections,
 * never from a list that could hold a pid the system has since given to another process.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pool of openPools) for (const pid of pool.pids()) killProcessGroup(pid);
    for (const server of startingServers) if (server.pid !== undefined) killProcessGroup(server.pid);
  });
}

/**
 * The running MCP servers and the tools they offer. Servers start concurrently; one that exits
 * during start-up is started once more, and one that fails to start stops the others. A server that crashes is restarted once, when its next call
 * comes; the call it died during is answered with an envelope and never sent again. If it dies
 * again it is marked unavailable and its calls are answered with an envelope while the other
 * servers keep serving. Arguments and results past their size limits are envelopes too. Tool calls never throw into the caller: they end as a result or an envelope,
 * except for an abort, which is re-thrown so the caller can stop.
 */
export class ServerPool implements AsyncDisposable, ToolRouter {
  readonly registry: ToolRegistry;
  readonly #servers: Map<string, ServerConnection>;
  readonly #options: PoolSettings;
  readonly #restarting = new Map<string, Promise<boolean>>();
  #closed = false;

  private constructor(servers: Map<string, ServerConnection>, options: PoolSettings) {
    this.#servers = servers;
    this.#options = options;
    this.registry = new ToolRegistry(
      [...servers.values()].filter((s) => s.state === 'ready').map((s) => ({ server: s.name, tools: s.tools })),
    );
  }

  /** Starts every configured server and discovers its tools. */
  static async open(config: ServersConfig, options: PoolOptions = {}): Promise<ServerPool> {
    installExitHook();
    const settings: PoolSettings = {
      baseEnv: options.baseEnv ?? {},
      logger: options.logger,
      startTimeoutMs: options.startTimeoutMs ?? SERVER_START_TIMEOUT_MS,
      toolTimeoutMs: options.toolTimeoutMs ?? TOOL_TIMEOUT_MS,
      memoryLimitMb: options.memoryLimitMb ?? SERVER_MEMORY_LIMIT_MB,
      restarts: options.restarts ?? SERVER_RESTARTS,
      startRetries: options.startRetries ?? SERVER_START_RETRIES,
      wrapTransport: options.wrapTransport,
    };
    const servers = new Map(Object.entries(config).map(([name, server]) => [name, new ServerConnection(name, server, settings)] as const));
    for (const server of servers.values()) startingServers.add(server);
    try {
      return await ServerPool.#started(servers, settings);
    } finally {
      for (const server of servers.values()) startingServers.delete(server);
    }
  }

  /** Starts the servers: a pool of them, or every one stopped again and the first failure thrown. */
  static async #started(servers: Map<string, ServerConnection>, settings: PoolSettings): Promise<ServerPool> {
    const started = await Promise.allSettled([...servers.values()].map((server) => ServerPool.#start(server, settings)));
    // A local server that does not start stops everything (a broken install should be loud); a
    // server at a URL that cannot be reached is another machine's outage: it is left out, marked
    // unavailable with its reason, and the others serve — unless none started at all.
    const entries = [...servers.values()];
    const failures = started.flatMap((outcome, i) => {
      if (outcome.status !== 'rejected') return [];
      const server = entries[i] as ServerConnection;
      if (server.config.url !== undefined && started.some((o) => o.status === 'fulfilled')) {
        settings.logger?.warn(`server ${server.name} is unavailable: ${server.lastError ?? 'it did not start'}`);
        return [];
      }
      return [outcome.reason as unknown];
    });
    if (failures.length > 0) {
      await Promise.allSettled([...servers.values()].map((server) => server.stop()));
      const first = failures[0];
      throw first instanceof ServerStartError ? first : new ServerStartError('unknown', String(first), '', { cause: first });
    }
    const pool = new ServerPool(servers, settings);
    openPools.add(pool);
    return pool;
  }

  /**
   * Starts one server. One that exits during start-up — killed, or crashed on a transient
   * cause — is started again, up to `startRetries` times: one lost process must not fail every
   * run that needs the pool. A hang or a missing command would fail the same way again.
   */
  static async #start(server: ServerConnection, settings: PoolSettings): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await server.start();
        return;
      } catch (error) {
        if (server.startFailure !== 'exited') throw error;
        if (attempt >= settings.startRetries) {
          if (attempt === 0) throw error;
          throw new ServerStartError(
            server.name,
            `${server.lastError}, each of the ${attempt + 1} times it was started`,
            server.stderrTail,
            { cause: error },
          );
        }
        settings.logger?.warn(`server ${server.name} exited during start-up; starting it again`);
      }
    }
  }

  /** Health of every server, in start order. */
  servers(): ServerStatus[] {
    return [...this.#servers.values()].map((s) => ({
      name: s.name,
      transport: s.config.url === undefined ? ('stdio' as const) : ('http' as const),
      url: s.config.url,
      state: s.state,
      pid: s.pid,
      tools: s.tools.length,
      restarts: s.restarts,
      lastError: s.lastError,
      startMs: s.startMs,
      discoveryMs: s.discoveryMs,
      stderrTail: s.stderrTail,
    }));
  }

  /** What each ready server offers besides tools (resources, templates, prompts), by server name. */
  async catalogs(): Promise<Map<string, ServerCatalog>> {
    const ready = [...this.#servers.values()].filter((s) => s.state === 'ready');
    const listed = await Promise.all(
      ready.map(
        async (s) =>
          [s.name, await s.catalog(this.#options.toolTimeoutMs).catch(() => ({ resources: [], templates: [], prompts: [] }))] as const,
      ),
    );
    return new Map(listed);
  }

  /** Every discovered tool in OpenAI function-calling format. */
  openAITools(): OpenAIFunctionTool[] {
    return this.registry.toOpenAI();
  }

  /** The server that owns a public tool name. */
  serverOf(name: string): string | undefined {
    return this.registry.get(name)?.server;
  }

  /** Process ids of the running servers (for tests that check nothing is left behind). */
  pids(): number[] {
    return [...this.#servers.values()].flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
  }

  /**
   * Calls a tool by its public name. Never throws for a failed call: unknown tools, invalid
   * results, timeouts, crashes and unavailable servers all come back as an envelope. An abort
   * through `signal` is re-thrown.
   */
  async callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal, trace?: TraceSpan): Promise<ToolCallOutcome> {
    const started = performance.now();
    let restarted = false;
    const done = (server: string | undefined, content: string, envelope?: ErrorEnvelope): ToolCallOutcome => ({
      server,
      tool: name,
      content,
      ...(envelope ? { envelope } : {}),
      durationMs: performance.now() - started,
      ...(restarted ? { restarted } : {}),
    });
    const failed = (server: string | undefined, envelope: ErrorEnvelope) => done(server, JSON.stringify(envelope), envelope);

    const entry = this.registry.get(name);
    if (!entry) return failed(undefined, unknownToolEnvelope(name, this.registry.names()));
    const server = this.#servers.get(entry.server);
    if (!server) return failed(entry.server, unknownToolEnvelope(name, this.registry.names()));
    const timeoutMs = server.config.toolTimeoutMs ?? this.#options.toolTimeoutMs;

    const size = Buffer.byteLength(JSON.stringify(args));
    if (size > TOOL_ARGUMENTS_MAX_BYTES)
      return failed(server.name, argumentsTooLargeEnvelope(server.name, name, size, TOOL_ARGUMENTS_MAX_BYTES));

    // A second attempt only for a call that never reached the server (its pipe was already gone).
    // A call in flight when the server died is never sent again: it may be what killed it.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (server.state !== 'ready') restarted = true;
      if (!(await this.#ensureReady(server))) {
        return failed(server.name, serverUnavailableEnvelope(server.name, name, server.lastError));
      }
      try {
        const result = await server.callTool(entry.toolName, args, timeoutMs, signal, trace);
        const text = resultText(result);
        if (result.isError) return failed(server.name, envelopeFromErrorResult(server.name, name, text, result.structuredContent));
        const resultSize = Buffer.byteLength(text);
        if (resultSize > TOOL_RESULT_MAX_BYTES)
          return failed(server.name, resultTooLargeEnvelope(server.name, name, resultSize, TOOL_RESULT_MAX_BYTES));
        return done(server.name, text);
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error;
        if (isTimeout(error)) return failed(server.name, toolTimeoutEnvelope(server.name, name, timeoutMs));
        const delivery = transportFailure(error);
        if (delivery === undefined && server.state === 'ready') {
          return failed(server.name, toolCallFailedEnvelope(server.name, name, describeCallError(server.name, error)));
        }
        if (server.state === 'ready') server.state = 'crashed';
        this.#options.logger?.warn(`call to ${name} failed: server ${server.name} is down`, { attempt });
        if (delivery === 'in_flight') {
          if (this.#closed) return failed(server.name, serverUnavailableEnvelope(server.name, name, 'the pool was closed'));
          if (server.restarts < this.#options.restarts)
            return failed(server.name, serverCrashedEnvelope(server.name, name, server.lastError));
          break;
        }
      }
    }
    this.#markUnavailable(server);
    return failed(server.name, serverUnavailableEnvelope(server.name, name, server.lastError));
  }

  /** Restarts a crashed server once (shared by concurrent callers); false when it is unavailable. */
  async #ensureReady(server: ServerConnection): Promise<boolean> {
    if (server.state === 'ready') return true;
    if (server.state === 'unavailable' || server.state === 'closed' || this.#closed) return false;
    let pending = this.#restarting.get(server.name);
    if (!pending) {
      pending = this.#restart(server).finally(() => this.#restarting.delete(server.name));
      this.#restarting.set(server.name, pending);
    }
    return pending;
  }

  async #restart(server: ServerConnection): Promise<boolean> {
    if (server.restarts >= this.#options.restarts) {
      this.#markUnavailable(server);
      return false;
    }
    server.restarts += 1;
    server.state = 'restarting';
    await server.stop();
    try {
      await server.start();
      this.#options.logger?.info(`server ${server.name} restarted`);
      return true;
    } catch (error) {
      server.lastError = (error as Error).message;
      this.#markUnavailable(server);
      return false;
    }
  }

  #markUnavailable(server: ServerConnection): void {
    if (server.state !== 'unavailable') this.#options.logger?.warn(`server ${server.name} marked unavailable`);
    server.state = 'unavailable';
    void server.stop();
  }

  /** Stops every server; each close is bounded in time, and none can block the others. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#servers.values()].map((server) => server.stop()));
    openPools.delete(this);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
