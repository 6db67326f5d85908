import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Who may reach an HTTP server: the checks made before a request reaches MCP. */
export interface GuardOptions {
  /** The address the server is bound to and its port (to know the Host values that are its own). */
  readonly host: string;
  readonly port: number;
  /** Browser origins allowed besides the server's own (e.g. an Inspector at http://localhost:6274). */
  readonly allowedOrigins: readonly string[];
  /** A bearer token every request must carry; none when undefined. */
  readonly token: string | undefined;
}

/** A refused request: its HTTP status, JSON-RPC code and message, and the header a 401 needs. */
export interface Refusal {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Whether the server only listens on this machine (then DNS rebinding is the threat to stop). */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

/** The Host header values that name this server. */
function ownHosts({ host, port }: GuardOptions): Set<string> {
  const names = isLoopback(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [host];
  return new Set(names.map((name) => `${name}:${port}`));
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Why a request must be refused before MCP sees it, or undefined: a foreign Host on a loopback
 * server (DNS rebinding) or a foreign Origin is 403, a missing or wrong bearer token 401.
 */
export function refusal(request: IncomingMessage, options: GuardOptions): Refusal | undefined {
  const hosts = ownHosts(options);
  const host = request.headers.host ?? '';
  if (isLoopback(options.host) && !hosts.has(host)) {
    return { status: 403, code: -32000, message: `Forbidden: Host "${host}" is not this server` };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !options.allowedOrigins.includes(origin)) {
    let own = false;
    try {
      own = hosts.has(new URL(origin).host);
    } catch {
      own = false;
    }
    if (!own) return { status: 403, code: -32000, message: `Forbidden: Origin "${origin}" is not allowed` };
  }
  if (options.token !== undefined) {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!sameToken(given, options.token)) {
      return {
        status: 401,
        code: -32001,
        message: header === '' ? 'Unauthorized: a bearer token is required' : 'Unauthorized: the bearer token is wrong',
        headers: { 'www-authenticate': 'Bearer' },
      };
    }
  }
  return undefined;
}
