// The HTTP part of `npm run bench`: servers/all over Streamable HTTP on loopback, measured against
// baselines of the same run — a raw SDK client over HTTP (the routed call's baseline) and a raw SDK
// client over stdio (HTTP's cost), then 50 concurrent sessions against one server.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ServerPool } from '../src/orchestrator/server-pool.ts';
import { serveAll } from '../test/support/serve-all.ts';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 50);
const CALLS_PER_SESSION = Number(process.env.BENCH_SESSION_CALLS ?? 40);
const ARGS = { ticket_id: 'TKT-1001' };

/** A raw SDK client in a session of its own at `url`. */
export async function httpClient(url: string): Promise<Client> {
  const client = new Client({ name: 'bench-http', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** A routed pool with one url entry. */
export function httpPool(url: string): Promise<ServerPool> {
  return ServerPool.open({ tickets: { url, args: [], env: {}, disabled: false } });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** SESSIONS clients in sessions of their own, all calling at once: per-call p50/p99 and errors. */
export async function concurrentSessions(
  url: string,
): Promise<{ p50: number; p99: number; errors: number; calls: number; wallMs: number }> {
  const clients = await Promise.all(Array.from({ length: SESSIONS }, () => httpClient(url)));
  const times: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < CALLS_PER_SESSION; i += 1) {
        const t = performance.now();
        try {
          const result = await client.callTool({ name: 'get_ticket_details', arguments: ARGS });
          if (result.isError || !JSON.stringify(result.content).includes('TKT-1001')) errors += 1;
        } catch {
          errors += 1;
        }
        times.push(performance.now() - t);
      }
    }),
  );
  const wallMs = performance.now() - started;
  await Promise.allSettled(clients.map((c) => c.close()));
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), errors, calls: times.length, wallMs };
}

export { SESSIONS, CALLS_PER_SESSION, ARGS, serveAll };
