import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DATASET_NOW } from '../../src/shared/clock.ts';
import { ROOT, bundleOf } from '../servers.ts';
import { childEnv } from '../support/child-env.ts';

// The servers as network services: each bundle with --http, over real HTTP on loopback.

const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts a server bundle with --http on a free port and waits for the URL it prints. */
async function start(name: string, flags: string[] = [], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [bundleOf(name), '--http', '--port', '0', '--now', DATASET_NOW, ...flags], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 10 s: ${stderr}`)), 10_000);
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /at (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
  });
  return { child, url, stderr: () => stderr, exited };
}

/** Waits up to 2 s for a condition (stderr arrives a little after the response). */
async function until(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!probe() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** A JSON-RPC error body. */
async function errorOf(response: Response): Promise<{ code: number; message: string }> {
  return ((await response.json()) as { error: { code: number; message: string } }).error;
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'http-test', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
  });
}

describe('servers over Streamable HTTP', () => {
  it('serves discovery and a call to an SDK client in a session, which DELETE ends', async () => {
    const server = await start('tickets');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connect(server.url);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['find_similar_tickets', 'get_ticket_details', 'get_ticket_metrics', 'search_tickets']);
    const result = await client.callTool({ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } });
    expect(JSON.stringify(result.content)).toContain('TKT-1001');
    const transport = client.transport as StreamableHTTPClientTransport;
    const session = transport.sessionId;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    await transport.terminateSession();
    const after = await post(server.url, { jsonrpc: '2.0', id: 9, method: 'tools/list' }, { 'mcp-session-id': session! });
    expect(after.status).toBe(404);
    expect((await errorOf(after)).message).toContain('Session not found');
    await client.close();
  });

  it('answers without sessions in stateless mode, and refuses GET there with 405', async () => {
    const server = await start('billing', ['--stateless']);
    const client = await connect(server.url);
    const result = await client.callTool({ name: 'check_payment_status', arguments: { invoice_id: 'INV-2025-003' } });
    expect(JSON.stringify(result.content)).toContain('INV-2025-003');
    expect((client.transport as StreamableHTTPClientTransport).sessionId).toBeUndefined();
    const get = await fetch(server.url, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    await client.close();
  });

  it('refuses a foreign Origin and a foreign Host with 403, and keeps serving', async () => {
    const server = await start('kb');
    const origin = await post(server.url, INITIALIZE, { origin: 'https://evil.example' });
    expect(origin.status).toBe(403);
    expect(await errorOf(origin)).toEqual({ code: -32000, message: 'Forbidden: Origin "https://evil.example" is not allowed' });
    // fetch will not send another Host header; node:http will, as a rebinding attacker's browser would.
    const host = await new Promise<number | undefined>((resolve, reject) => {
      const target = new URL(server.url);
      const request = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { host: 'attacker.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify(INITIALIZE));
    });
    expect(host).toBe(403);
    const ok = await post(server.url, INITIALIZE, { origin: new URL(server.url).origin });
    expect(ok.status).toBe(200);
    await until(() => server.stderr().includes('Host "attacker.example"'));
    expect(server.stderr()).toContain('403 Forbidden: Origin "https://evil.example" is not allowed');
    expect(server.stderr()).toContain('403 Forbidden: Host "attacker.example" is not this server');
  });

  it('requires the bearer token from HELPDESK_HTTP_TOKEN (401 without or with a wrong one) and never logs it', async () => {
    const token = 'tok-7f3a9c1e-secret';
    const server = await start('assets', [], { HELPDESK_HTTP_TOKEN: token });
    const none = await post(server.url, INITIALIZE);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await errorOf(none)).message).toBe('Unauthorized: a bearer token is required');
    const wrong = await post(server.url, INITIALIZE, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const client = await connect(server.url, { authorization: `Bearer ${token}` });
    expect((await client.listTools()).tools).toHaveLength(4);
    await client.close();
    expect(server.stderr()).toContain('(bearer token required)');
    expect(server.stderr()).not.toContain(token);
  });

  it('answers bad input with the protocol status: wrong Content-Type 415, not JSON 400, oversized 413, no session 400, unknown path 404', async () => {
    const server = await start('customers');
    expect((await post(server.url, INITIALIZE, { 'content-type': 'text/plain' })).status).toBe(415);
    const garbage = await post(server.url, '{"jsonrpc": nope');
    expect(garbage.status).toBe(400);
    expect((await errorOf(garbage)).code).toBe(-32700);
    expect(
      (await post(server.url, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(5 * 1024 * 1024) } })).status,
    ).toBe(413);
    const noSession = await post(server.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(noSession.status).toBe(400);
    expect((await errorOf(noSession)).message).toContain('no Mcp-Session-Id header');
    expect((await post(server.url.replace('/mcp', '/nope'), INITIALIZE)).status).toBe(404);
    const client = await connect(server.url);
    expect((await client.listTools()).tools).toHaveLength(4);
    const session = (client.transport as StreamableHTTPClientTransport).sessionId!;
    const malformed = await post(server.url, { hello: 'world' }, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).message).toMatch(/invalid|parse/i);
    const unknown = await post(server.url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, { 'mcp-session-id': 'not-a-session' });
    expect(unknown.status).toBe(404);
    expect((await client.listTools()).tools).toHaveLength(4);
    await client.close();
  });

  it('reclaims a session idle past HELPDESK_HTTP_SESSION_IDLE_MS: its id then gets 404', async () => {
    const server = await start('kb', [], { HELPDESK_HTTP_SESSION_IDLE_MS: '200', HELPDESK_LOG_LEVEL: 'info' });
    const client = await connect(server.url);
    const session = (client.transport as StreamableHTTPClientTransport).sessionId!;
    await until(() => server.stderr().includes(`session ${session} reclaimed`));
    const after = await post(server.url, { jsonrpc: '2.0', id: 5, method: 'tools/list' }, { 'mcp-session-id': session });
    expect(after.status).toBe(404);
    expect(server.stderr()).toMatch(new RegExp(`session ${session} reclaimed after \\d+ s idle`));
    await client.close().catch(() => undefined);
  });

  it('exits 2 naming the setting when HELPDESK_HTTP_MAX_SESSIONS is not a positive whole number', async () => {
    const child = spawn(process.execPath, [bundleOf('kb'), '--http', '--port', '0'], {
      cwd: ROOT,
      env: childEnv({ HELPDESK_HTTP_MAX_SESSIONS: '0' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (exitCode) => done(exitCode)));
    expect(code).toBe(2);
    expect(stderr).toContain('HELPDESK_HTTP_MAX_SESSIONS must be a positive whole number of sessions, got "0"');
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const server = await start('tickets');
    const client = await connect(server.url);
    await client.listTools();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
