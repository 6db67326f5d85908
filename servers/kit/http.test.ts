import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/log.ts';
import { serveHttp, type HttpOptions, type HttpService } from './http.ts';

// serveHttp in this process on 127.0.0.1: two tiny servers, each at its own path, as servers/all serves five.

const running = new Set<HttpService>();
let logged: string[] = [];

afterEach(async () => {
  await Promise.allSettled([...running].map((service) => service.close()));
  running.clear();
  logged = [];
});

/** A server whose one tool is named after it, so an answer shows which server gave it. */
function named(name: string): () => Server {
  return () => {
    const server = new Server({ name, version: '0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [{ name: `${name}_tool`, inputSchema: { type: 'object' as const } }],
    }));
    return server;
  };
}

async function start(options: Partial<HttpOptions> = {}): Promise<{ service: HttpService; base: string }> {
  const service = await serveHttp(
    [
      { path: '/alpha/mcp', build: named('alpha') },
      { path: '/beta/mcp', build: named('beta') },
    ],
    {
      host: '127.0.0.1',
      port: 0,
      stateless: false,
      token: undefined,
      allowedOrigins: [],
      logger: createLogger('http-test', 'info', (line) => logged.push(line)),
      ...options,
    },
  );
  running.add(service);
  return { service, base: `http://127.0.0.1:${service.port}` };
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

/** Opens a session at a path: initialize, then the initialized notification; its id. */
async function open(url: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: HEADERS, body: JSON.stringify(INITIALIZE) });
  expect(response.status).toBe(200);
  await response.text();
  const id = response.headers.get('mcp-session-id') ?? '';
  const note = await fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, 'mcp-session-id': id },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  expect(note.status).toBe(202);
  return id;
}

/** tools/list in a session: the status and the body (SSE or JSON) as text. */
async function listTools(url: string, session: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, 'mcp-session-id': session },
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
  });
  return { status: response.status, text: await response.text() };
}

describe('serveHttp', () => {
  it('answers 404 to a session opened at another path, for POST, GET and DELETE, and keeps the session at its own path', async () => {
    const { service, base } = await start();
    const alpha = await open(`${base}/alpha/mcp`);
    const foreign = await listTools(`${base}/beta/mcp`, alpha);
    expect(foreign.status).toBe(404);
    expect(JSON.parse(foreign.text)).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32001,
        message: 'Session not found at /beta/mcp: it ended, was reclaimed, or was opened at another path; initialize a new one',
      },
    });
    expect(foreign.text).not.toContain('alpha_tool');
    const get = await fetch(`${base}/beta/mcp`, { headers: { accept: 'text/event-stream', 'mcp-session-id': alpha } });
    expect(get.status).toBe(404);
    const del = await fetch(`${base}/beta/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': alpha } });
    expect(del.status).toBe(404);
    expect(service.sessions()).toBe(1);
    const own = await listTools(`${base}/alpha/mcp`, alpha);
    expect(own.status).toBe(200);
    expect(own.text).toContain('alpha_tool');
    expect(logged.some((line) => line.includes(`session ${alpha} of /alpha/mcp used at /beta/mcp`))).toBe(true);
  });

  it('refuses a session past the cap with 503 and a JSON-RPC error saying so, keeps serving the open ones, and opens one again after a DELETE', async () => {
    const { service, base } = await start({ maxSessions: 2 });
    const first = await open(`${base}/alpha/mcp`);
    await open(`${base}/beta/mcp`);
    const refused = await fetch(`${base}/alpha/mcp`, { method: 'POST', headers: HEADERS, body: JSON.stringify(INITIALIZE) });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('mcp-session-id')).toBeNull();
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32000,
        message: 'Service Unavailable: too many open sessions (2); end one with DELETE, or retry once an idle one is reclaimed',
      },
    });
    expect(service.sessions()).toBe(2);
    expect((await listTools(`${base}/alpha/mcp`, first)).status).toBe(200);
    expect(logged.some((line) => line.includes('503 Service Unavailable: too many open sessions (2)'))).toBe(true);
    const ended = await fetch(`${base}/alpha/mcp`, { method: 'DELETE', headers: { ...HEADERS, 'mcp-session-id': first } });
    expect(ended.status).toBe(200);
    expect(service.sessions()).toBe(1);
    await open(`${base}/alpha/mcp`);
    expect(service.sessions()).toBe(2);
  });

  it('counts sessions still initializing against the cap: of 12 initialize requests at once with a cap of 3, 3 open and 9 get 503', async () => {
    const { service, base } = await start({ maxSessions: 3 });
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => fetch(`${base}/alpha/mcp`, { method: 'POST', headers: HEADERS, body: JSON.stringify(INITIALIZE) })),
    );
    await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(3).fill(200), ...Array(9).fill(503)]);
    expect(service.sessions()).toBe(3);
  });

  it('reclaims a session idle past idleMs, which frees its place under the cap', async () => {
    const { service, base } = await start({ maxSessions: 1, idleMs: 200 });
    const idle = await open(`${base}/alpha/mcp`);
    const deadline = Date.now() + 3_000;
    while (service.sessions() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(service.sessions()).toBe(0);
    expect((await listTools(`${base}/alpha/mcp`, idle)).status).toBe(404);
    await open(`${base}/beta/mcp`);
    expect(service.sessions()).toBe(1);
  });
});
