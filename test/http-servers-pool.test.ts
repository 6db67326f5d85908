import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinServers } from '../src/orchestrator/builtin-servers.ts';
import { loadConfigFile } from '../src/orchestrator/config.ts';
import { ServerStartError } from '../src/orchestrator/errors.ts';
import { ServerPool } from '../src/orchestrator/server-pool.ts';
import { DATASET_NOW } from '../src/shared/clock.ts';
import { serveAll } from './support/serve-all.ts';

// The orchestrator as a client of servers at URLs: mcpServers entries with url (and headers),
// beside stdio ones, against `servers/all` over real HTTP on loopback.

const children = new Set<ChildProcess>();
const pools: ServerPool[] = [];
const TOKEN = 'tok-orchestrator-test';

afterEach(async () => {
  await Promise.allSettled(pools.splice(0).map((p) => p.close()));
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

/** servers/all over HTTP (optionally on a given port), with the bearer token required. */
async function serveAllWithToken(port = 0): Promise<{ base: string; child: ChildProcess }> {
  const served = await serveAll({ port, env: { HELPDESK_HTTP_TOKEN: TOKEN } });
  children.add(served.child);
  return served;
}

/** A port nothing listens on (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function open(config: Parameters<typeof ServerPool.open>[0]): Promise<ServerPool> {
  const pool = await ServerPool.open(config, { baseEnv: { HELPDESK_NOW: DATASET_NOW }, startTimeoutMs: 5_000, toolTimeoutMs: 5_000 });
  pools.push(pool);
  return pool;
}

const auth = { Authorization: `Bearer ${TOKEN}` };
const http = (url: string, headers: Record<string, string> = auth) => ({ url, headers, args: [], env: {}, disabled: false });

describe('mcpServers entries with url', () => {
  it('discovers and routes to HTTP servers beside a stdio one, with the same envelopes', async () => {
    const { base } = await serveAllWithToken();
    const stdio = builtinServers(process.execPath).kb!;
    const pool = await open({ tickets: http(`${base}/tickets/mcp`), billing: http(`${base}/billing/mcp`), kb: stdio });
    expect(pool.servers().map((s) => [s.name, s.state, s.tools])).toEqual([['tickets', 'ready', 4], ['billing', 'ready', 4], ['kb', 'ready', 4]]);
    expect(pool.servers().map((s) => [s.transport, s.url])).toEqual([['http', `${base}/tickets/mcp`], ['http', `${base}/billing/mcp`], ['stdio', undefined]]);
    expect(pool.servers().find((s) => s.name === 'tickets')?.pid).toBeUndefined();
    const found = await pool.callTool('get_ticket_details', { ticket_id: 'TKT-1001' });
    expect(found.server).toBe('tickets');
    expect(found.content).toContain('TKT-1001');
    const missing = await pool.callTool('get_ticket_details', { ticket_id: 'TKT-9999' });
    expect(missing.envelope).toMatchObject({ error: 'Ticket TKT-9999 not found', retryable: true });
    const kb = await pool.callTool('search_solutions', { query: 'BSOD' });
    expect(kb.envelope).toBeUndefined();
  });

  it('leaves out a URL server that cannot be reached, marked unavailable with the reason, while the others serve', async () => {
    const closed = await freePort();
    const pool = await open({ remote: http(`http://127.0.0.1:${closed}/mcp`), kb: builtinServers(process.execPath).kb! });
    expect(pool.servers().map((s) => [s.name, s.state, s.tools])).toEqual([['remote', 'unavailable', 0], ['kb', 'ready', 4]]);
    expect(pool.servers()[0]?.lastError).toBe(`cannot connect to http://127.0.0.1:${closed}/mcp (connection refused): is the server running?`);
    expect(pool.registry.names()).toHaveLength(4);
    expect((await pool.callTool('search_solutions', { query: 'BSOD' })).envelope).toBeUndefined();
  });

  it('says why a URL cannot be used when it is the only server: connection refused, a missing token (401), a wrong path (404)', async () => {
    const { base } = await serveAllWithToken();
    const failure = async (config: ReturnType<typeof http>) => {
      try {
        await open({ remote: config });
      } catch (error) {
        expect(error).toBeInstanceOf(ServerStartError);
        return (error as Error).message;
      }
      throw new Error('expected a ServerStartError');
    };
    const closed = await freePort();
    expect(await failure(http(`http://127.0.0.1:${closed}/mcp`))).toContain(`cannot connect to http://127.0.0.1:${closed}/mcp (connection refused): is the server running?`);
    expect(await failure(http(`${base}/tickets/mcp`, {}))).toContain(`${base}/tickets/mcp refused the request (HTTP 401): check the server's headers (e.g. its bearer token)`);
    expect(await failure(http(`${base}/nope/mcp`))).toContain(`no MCP endpoint at ${base}/nope/mcp (HTTP 404): check the path`);
  });

  it('reconnects once with a new session when the server restarted and forgot the old one, and resends the refused call', async () => {
    const first = await serveAllWithToken();
    const pool = await open({ tickets: http(`${first.base}/tickets/mcp`) });
    expect((await pool.callTool('search_tickets', { priority: 'critical' })).envelope).toBeUndefined();
    const port = Number(new URL(first.base).port);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await serveAllWithToken(port);
    const after = await pool.callTool('search_tickets', { priority: 'critical' });
    expect(after.envelope).toBeUndefined();
    expect(after.content).toContain('TKT-1001');
    expect(pool.servers()[0]).toMatchObject({ state: 'ready', restarts: 1 });
  });
});

describe('url entries in a config file', () => {
  it('fills ${NAME} in headers from the environment and refuses what cannot work, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'http-config-'));
    try {
      const write = (servers: unknown) => {
        const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
        writeFileSync(file, JSON.stringify({ mcpServers: servers }));
        return file;
      };
      const good = loadConfigFile(write({ remote: { url: 'http://127.0.0.1:3100/tickets/mcp', headers: { Authorization: 'Bearer ${MY_TOKEN}' } } }), {}, { MY_TOKEN: 'abc' });
      expect(good.remote).toMatchObject({ url: 'http://127.0.0.1:3100/tickets/mcp', headers: { Authorization: 'Bearer abc' } });
      expect(() => loadConfigFile(write({ remote: { url: 'http://h/mcp', headers: { Authorization: 'Bearer ${MY_TOKEN}' } } }), {}, {}))
        .toThrow('server remote: header Authorization uses ${MY_TOKEN}, which is not set in the environment');
      expect(() => loadConfigFile(write({ both: { command: 'node', url: 'http://h/mcp' } }), {}))
        .toThrow(/mcpServers\.both\.url: give command \(stdio\) or url \(HTTP\), not both/);
      expect(() => loadConfigFile(write({ neither: { args: ['x'] } }), {}))
        .toThrow(/mcpServers\.neither\.command: give command \(a program to start\) or url \(a Streamable HTTP endpoint\)/);
      expect(() => loadConfigFile(write({ odd: { url: 'http://h/mcp', cwd: '/tmp' } }), {}))
        .toThrow(/mcpServers\.odd\.cwd: cwd applies to servers started with command, not to a url/);
      expect(() => loadConfigFile(write({ ftp: { url: 'ftp://h/mcp' } }), {})).toThrow(/url must be http:\/\/ or https:\/\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
