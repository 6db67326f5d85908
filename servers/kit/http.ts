import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as NodeHttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../src/shared/log.ts';
import { refusal, type GuardOptions } from './http-guard.ts';

/** The largest request body read (bytes); a larger one is answered 413. */
export const HTTP_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Sessions with no request for this long are closed. */
export const HTTP_SESSION_IDLE_MS = 15 * 60_000;
/**
 * Sessions open at once, over all endpoints. Past it an initialize is answered 503 (the open
 * sessions keep working) rather than evicting one: eviction would let anyone who can reach the
 * port end other clients' sessions just by opening new ones. 1,000 sessions of servers/all take
 * about 120 MB of resident memory (measured; 2,500 uncapped took 200 MB).
 */
export const HTTP_MAX_SESSIONS = 1_000;
/** How long SIGTERM waits for requests in flight before closing what is left. */
export const HTTP_DRAIN_MS = 5_000;

/** One MCP server at a path: `build` makes a fresh Server for each session (or request, stateless). */
export interface HttpEndpoint {
  readonly path: string;
  readonly build: () => Server;
}

/** How to serve. */
export interface HttpOptions extends GuardOptions {
  /** No sessions: every POST is answered by a server of its own, GET and DELETE are 405. */
  readonly stateless: boolean;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
  readonly idleMs?: number;
  readonly maxSessions?: number;
}

/** A running HTTP server. */
export interface HttpService {
  /** The port bound (useful with port 0). */
  readonly port: number;
  /** Open sessions, for tests and logs. */
  sessions(): number;
  /** Stops accepting, lets requests in flight finish (bounded), then closes every session. */
  close(): Promise<void>;
}

interface Session {
  /** The endpoint that opened it: the only one that may use it. */
  readonly path: string;
  readonly transport: StreamableHTTPServerTransport;
  readonly server: Server;
  lastSeen: number;
}

function reply(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** The body as JSON, or a refusal: too large (413), not JSON (400). */
async function readJson(
  req: IncomingMessage,
  limit: number,
): Promise<{ body: unknown } | { status: number; code: number; message: string }> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Past the limit the rest is read and dropped, so the client gets the 413 rather than a
    // reset connection; far past it the connection is cut.
    if (size > limit * 4) {
      req.destroy();
      break;
    }
    if (size <= limit) parts.push(chunk as Buffer);
  }
  if (size > limit) return { status: 413, code: -32600, message: `Request body too large: more than ${limit} bytes` };
  try {
    return { body: JSON.parse(Buffer.concat(parts).toString('utf8')) };
  } catch {
    return { status: 400, code: -32700, message: 'Parse error: the body is not JSON' };
  }
}

/**
 * Serves MCP servers over Streamable HTTP on one port, each at its path. Stateful by default:
 * an initialize request opens a session (Mcp-Session-Id) at its endpoint, later requests to that
 * endpoint name it (another endpoint answers 404), DELETE ends it, sessions idle past `idleMs`
 * are reclaimed, and past `maxSessions` open ones a new session is refused with 503. Host, Origin and the bearer token are
 * checked before MCP sees a request; every refusal is the protocol's status with a JSON-RPC
 * error, logged once, and never stops the server for others.
 */
export async function serveHttp(endpoints: readonly HttpEndpoint[], options: HttpOptions): Promise<HttpService> {
  const sessions = new Map<string, Session>();
  const byPath = new Map(endpoints.map((e) => [e.path, e]));
  const limit = options.maxBodyBytes ?? HTTP_MAX_BODY_BYTES;
  const idleMs = options.idleMs ?? HTTP_SESSION_IDLE_MS;
  const maxSessions = options.maxSessions ?? HTTP_MAX_SESSIONS;
  const sweepEvery = Math.max(50, Math.min(idleMs / 4, 30_000));
  let inFlight = 0;
  /** Initialize requests being answered: sessions about to exist, counted against the cap. */
  let opening = 0;
  let port = options.port;
  const log = options.logger;

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: number,
    message: string,
    headers: Record<string, string> = {},
  ) => {
    log.warn(`${req.method} ${req.url}: ${status} ${message}`);
    reply(res, status, code, message, headers);
  };

  const endSession = async (id: string): Promise<void> => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    await Promise.allSettled([session.transport.close(), session.server.close()]);
  };

  const openSession = async (endpoint: HttpEndpoint): Promise<StreamableHTTPServerTransport> => {
    const server = endpoint.build();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { path: endpoint.path, transport, server, lastSeen: Date.now() });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport;
  };

  const stateless = async (endpoint: HttpEndpoint, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
    const server = endpoint.build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const guard = refusal(req, { ...options, port });
    if (guard) return refuse(req, res, guard.status, guard.code, guard.message, { ...guard.headers });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const endpoint = byPath.get(path);
    if (!endpoint) return refuse(req, res, 404, -32601, `Not found: no MCP server at ${path} (try ${[...byPath.keys()].join(', ')})`);
    const method = req.method ?? '';
    if (!['POST', 'GET', 'DELETE'].includes(method) || (options.stateless && method !== 'POST')) {
      return refuse(
        req,
        res,
        405,
        -32000,
        `Method not allowed: ${method}${options.stateless ? ' (this server is stateless: POST only)' : ''}`,
        { allow: options.stateless ? 'POST' : 'POST, GET, DELETE' },
      );
    }
    let body: unknown;
    if (method === 'POST') {
      if (!(req.headers['content-type'] ?? '').includes('application/json')) {
        return refuse(req, res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
      }
      const read = await readJson(req, limit);
      if (!('body' in read)) return refuse(req, res, read.status, read.code, read.message);
      body = read.body;
    }
    if (options.stateless) return stateless(endpoint, req, res, body);
    const id = req.headers['mcp-session-id'];
    if (typeof id === 'string') return inSession(id, path, req, res, body);
    if (method !== 'POST' || !(Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body))) {
      return refuse(req, res, 400, -32000, 'Bad Request: no Mcp-Session-Id header (send initialize first)');
    }
    return initialize(endpoint, req, res, body);
  };

  /** A request in a session: only at the path that opened it (elsewhere the id names nothing: 404). */
  const inSession = async (id: string, path: string, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
    const session = sessions.get(id);
    if (session && session.path !== path) log.warn(`session ${id} of ${session.path} used at ${path}`);
    if (!session || session.path !== path) {
      return refuse(
        req,
        res,
        404,
        -32001,
        `Session not found at ${path}: it ended, was reclaimed, or was opened at another path; initialize a new one`,
      );
    }
    session.lastSeen = Date.now();
    await session.transport.handleRequest(req, res, body);
    if (req.method === 'DELETE') await endSession(id);
  };

  /** An initialize: a new session, unless the cap is reached (counting those being opened). */
  const initialize = async (endpoint: HttpEndpoint, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
    if (sessions.size + opening >= maxSessions) {
      return refuse(
        req,
        res,
        503,
        -32000,
        `Service Unavailable: too many open sessions (${maxSessions}); end one with DELETE, or retry once an idle one is reclaimed`,
        { 'retry-after': String(secondsUntilReclaim()) },
      );
    }
    opening += 1;
    try {
      const transport = await openSession(endpoint);
      await transport.handleRequest(req, res, body);
    } finally {
      opening -= 1;
    }
  };

  /** When the least recently used session will have been reclaimed, in whole seconds (at least 1). */
  const secondsUntilReclaim = (): number => {
    let oldest = Date.now();
    for (const session of sessions.values()) oldest = Math.min(oldest, session.lastSeen);
    return Math.max(1, Math.ceil((oldest + idleMs + sweepEvery - Date.now()) / 1000));
  };

  const http: NodeHttpServer = createServer((req, res) => {
    // Calls in flight are POSTs; a GET is a notification stream that stays open by design.
    if (req.method === 'POST') {
      inFlight += 1;
      res.once('close', () => {
        inFlight -= 1;
      });
    }
    handle(req, res).catch((error: unknown) => {
      log.error(`${req.method} ${req.url}: ${(error as Error).message}`);
      reply(res, 500, -32603, 'Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, session] of sessions) {
      if (now - session.lastSeen > idleMs) {
        log.info(`session ${id} reclaimed after ${Math.round((now - session.lastSeen) / 1000)} s idle`);
        void endSession(id);
      }
    }
  }, sweepEvery);
  sweep.unref();

  return {
    get port() {
      return port;
    },
    sessions: () => sessions.size,
    async close() {
      clearInterval(sweep);
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      const deadline = Date.now() + HTTP_DRAIN_MS;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await Promise.allSettled([...sessions.keys()].map(endSession));
      http.closeAllConnections();
      await closed;
    },
  };
}
