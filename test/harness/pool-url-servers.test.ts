import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinServers } from '../../src/orchestrator/builtin-servers.ts';
import { readConfigFile } from '../../src/orchestrator/config.ts';
import { ServerStartError } from '../../src/orchestrator/errors.ts';
import { ServerPool } from '../../src/orchestrator/server-pool.ts';
import { DATASET_NOW } from '../../src/shared/clock.ts';
import { PoolCache } from '../../src/harness/run/pools.ts';
import { runScenario } from '../../src/harness/suite/run-scenario.ts';
import { loadScenarioFile } from '../../src/harness/scenario/scenario.ts';
import { ROOT } from '../servers.ts';
import { useReplayBench } from '../support/replay-bench.ts';
import { serveAll } from '../support/serve-all.ts';

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
    expect(pool.servers().map((s) => [s.name, s.state, s.tools])).toEqual([
      ['tickets', 'ready', 4],
      ['billing', 'ready', 4],
      ['kb', 'ready', 4],
    ]);
    expect(pool.servers().map((s) => [s.transport, s.url])).toEqual([
      ['http', `${base}/tickets/mcp`],
      ['http', `${base}/billing/mcp`],
      ['stdio', undefined],
    ]);
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
    expect(pool.servers().map((s) => [s.name, s.state, s.tools])).toEqual([
      ['remote', 'unavailable', 0],
      ['kb', 'ready', 4],
    ]);
    expect(pool.servers()[0]?.lastError).toBe(
      `cannot connect to http://127.0.0.1:${closed}/mcp (connection refused): is the server running?`,
    );
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
    expect(await failure(http(`http://127.0.0.1:${closed}/mcp`))).toContain(
      `cannot connect to http://127.0.0.1:${closed}/mcp (connection refused): is the server running?`,
    );
    expect(await failure(http(`${base}/tickets/mcp`, {}))).toContain(
      `${base}/tickets/mcp refused the request (HTTP 401): check the server's headers (e.g. its bearer token)`,
    );
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
      const good = readConfigFile(
        write({ remote: { url: 'http://127.0.0.1:3100/tickets/mcp', headers: { Authorization: 'Bearer ${MY_TOKEN}' } } }),
        {},
        { MY_TOKEN: 'abc' },
      ).servers;
      expect(good.remote).toMatchObject({ url: 'http://127.0.0.1:3100/tickets/mcp', headers: { Authorization: 'Bearer abc' } });
      expect(() =>
        readConfigFile(write({ remote: { url: 'http://h/mcp', headers: { Authorization: 'Bearer ${MY_TOKEN}' } } }), {}, {}),
      ).toThrow('server remote: header Authorization uses ${MY_TOKEN}, which is not set in the environment');
      expect(() => readConfigFile(write({ both: { command: 'node', url: 'http://h/mcp' } }), {})).toThrow(
        /mcpServers\.both\.url: give command \(stdio\) or url \(HTTP\), not both/,
      );
      expect(() => readConfigFile(write({ neither: { args: ['x'] } }), {})).toThrow(
        /mcpServers\.neither\.command: give command \(a program to start\) or url \(a Streamable HTTP endpoint\)/,
      );
      expect(() => readConfigFile(write({ odd: { url: 'http://h/mcp', cwd: '/tmp' } }), {})).toThrow(
        /mcpServers\.odd\.cwd: cwd applies to servers started with command, not to a url/,
      );
      expect(() => readConfigFile(write({ ftp: { url: 'ftp://h/mcp' } }), {})).toThrow(/url must be http:\/\/ or https:\/\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a scenario with a server at a URL', () => {
  const bench = useReplayBench('url-scenario');

  it('authors and replays against the URL, with the token from the environment and a fault injected on the HTTP server', async () => {
    const { base } = await serveAllWithToken();
    const body = {
      id: 'url-tickets',
      description: 'tickets at a URL, the first call faulted',
      turns: ['What is the status of TKT-1001?'],
      servers: {
        tickets: { url: `${base}/tickets/mcp`, headers: { Authorization: 'Bearer ${URL_TEST_TOKEN}' } },
        customers: { command: 'node', disabled: true },
        billing: { command: 'node', disabled: true },
        kb: { command: 'node', disabled: true },
        assets: { command: 'node', disabled: true },
      },
      faults: [{ kind: 'tool_error', server: 'tickets', tool: 'get_ticket_details', call: 1 }],
      script: [
        { tool_calls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] },
        { tool_calls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] },
        { answer: 'TKT-1001 is open.' },
      ],
      expect: {
        errors: [
          {
            tool: 'get_ticket_details',
            envelope: { error: 'Tool get_ticket_details reported an error' },
            then_called: 'get_ticket_details',
          },
        ],
        answer: { contains: ['TKT-1001'] },
      },
    };
    const file = join(bench.dir, 'scenarios', 'url-tickets.json');
    writeFileSync(file, JSON.stringify(body));
    const loaded = loadScenarioFile(file);
    const pools = new PoolCache(ROOT, {}, { URL_TEST_TOKEN: TOKEN });
    try {
      const authored = await runScenario(loaded, { ...bench.options({ pools }), mode: 'author' });
      expect(authored.pass, JSON.stringify(authored.failures)).toBe(true);
      const replayed = await runScenario(loaded, bench.options({ pools }));
      expect(replayed.pass, JSON.stringify({ f: replayed.failures, r: replayed.replay, e: replayed.error })).toBe(true);
      expect(replayed.run?.calls.map((c) => [c.server, c.envelope?.error ?? 'ok'])).toEqual([
        ['tickets', 'Tool get_ticket_details reported an error'],
        ['tickets', 'ok'],
      ]);
      expect(replayed.faults?.injections).toEqual([
        { fault: 1, kind: 'tool_error', server: 'tickets', tool: 'get_ticket_details', call: 1 },
      ]);
      const noToken = await runScenario(loaded, bench.options({ pools: new PoolCache(ROOT) }));
      expect(noToken.error).toContain('server tickets: header Authorization uses ${URL_TEST_TOKEN}, which is not set in the environment');
    } finally {
      await pools.close();
    }
  });
});
