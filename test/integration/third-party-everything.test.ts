import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinServers } from '../../src/orchestrator/builtin-servers.ts';
import type { ServersConfig } from '../../src/orchestrator/config.ts';
import { ServerPool } from '../../src/orchestrator/server-pool.ts';
import { DATASET_NOW } from '../../src/shared/clock.ts';
import { ROOT } from '../servers.ts';
import { childEnv } from '../support/child-env.ts';

// A server we did not write — @modelcontextprotocol/server-everything from npm, pinned as a dev
// dependency — driven by the orchestrator over stdio and over Streamable HTTP, beside our tickets server.

const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const pools: ServerPool[] = [];
const children = new Set<ChildProcess>();

afterEach(async () => {
  await Promise.allSettled(pools.splice(0).map((p) => p.close()));
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function open(everything: ServersConfig[string]): Promise<ServerPool> {
  const pool = await ServerPool.open(
    { everything, tickets: builtinServers(process.execPath).tickets! },
    { baseEnv: { HELPDESK_NOW: DATASET_NOW, PATH: process.env.PATH ?? '' }, startTimeoutMs: 15_000, toolTimeoutMs: 10_000 },
  );
  pools.push(pool);
  return pool;
}

/** Discovery, a routed call and an error result: what the orchestrator needs from any server. */
async function exercise(pool: ServerPool): Promise<void> {
  const names = pool.registry.names();
  expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'search_tickets']));
  expect(pool.serverOf('echo')).toBe('everything');
  const echo = await pool.callTool('echo', { message: 'routed through mcp-helpdesk' });
  expect(echo.server).toBe('everything');
  expect(echo.envelope).toBeUndefined();
  expect(echo.content).toContain('routed through mcp-helpdesk');
  const sum = await pool.callTool('get-sum', { a: 2, b: 40 });
  expect(sum.content).toContain('42');
  const bad = await pool.callTool('get-sum', { a: 'two', b: 40 });
  expect(bad.envelope?.retryable).toBe(true);
  expect(bad.envelope?.context).toMatchObject({ server: 'everything', tool: 'get-sum' });
  expect(JSON.stringify(bad.envelope)).toMatch(/number/i);
  const tickets = await pool.callTool('get_ticket_details', { ticket_id: 'TKT-1001' });
  expect(tickets.content).toContain('TKT-1001');
}

describe('@modelcontextprotocol/server-everything, driven by the orchestrator', () => {
  it('over stdio: discovery, a routed call, an error result as an envelope', async () => {
    const pool = await open({ command: process.execPath, args: [EVERYTHING, 'stdio'], env: {}, disabled: false });
    expect(pool.servers().find((s) => s.name === 'everything')).toMatchObject({ transport: 'stdio', state: 'ready' });
    await exercise(pool);
  }, 30_000);

  it('over Streamable HTTP: the same, at its URL', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], {
      cwd: ROOT,
      env: childEnv({ PORT: String(port) }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(child);
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`server-everything did not listen: ${stderr}`)), 15_000);
      child.stderr!.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('listening on port')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const pool = await open({ url: `http://127.0.0.1:${port}/mcp`, args: [], env: {}, disabled: false });
    expect(pool.servers().find((s) => s.name === 'everything')).toMatchObject({ transport: 'http', state: 'ready' });
    await exercise(pool);
  }, 30_000);
});
