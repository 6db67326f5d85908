import { spawn } from 'node:child_process';
import { collectOutput } from '../support/run-helpdesk.ts';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { DATASET_NOW } from '../../src/shared/clock.ts';
import { ROOT, SERVERS, bundleOf } from '../servers.ts';
import { isAlive } from '../support/processes.ts';
import { childEnv } from '../support/child-env.ts';

/** Sends raw JSON-RPC lines to a server process and collects everything it writes. */
async function rawSession(args: string[], lines: unknown[], env: Record<string, string> = {}, untilId?: number) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: childEnv(env),
  });
  const output = collectOutput(child);
  child.stdin.on('error', () => {}); // a server that exits early closes its stdin: the test reads what it said
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const expected = lines.filter((line) => typeof line === 'object' && line !== null && 'id' in line).length;
  const answered = () =>
    untilId === undefined
      ? output
          .stdout()
          .split('\n')
          .filter((l) => l.includes('"id"')).length >= expected
      : output
          .stdout()
          .split('\n')
          .some((l) => l.startsWith('{') && (JSON.parse(l) as { id?: unknown }).id === untilId);
  for (const line of lines) child.stdin.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
  const deadline = Date.now() + 10_000;
  while (!answered() && Date.now() < deadline) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.stdin.end();
  const code = await exited;
  return { stdout: output.stdout(), stderr: output.stderr(), code };
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'stdio-test', version: '0' } },
};
const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };

describe('servers over real stdio', () => {
  it.each(SERVERS)('$folder answers initialize, lists its four tools and serves a call', async (server) => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bundleOf(server.folder), '--now', DATASET_NOW],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe(server.mcpName);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual([...server.tools]);
      const result = await client.callTool({ name: server.probe.name, arguments: server.probe.args });
      expect(result.isError).toBeFalsy();
      expect((result.content as { text: string }[])[0]?.text).toContain(server.probe.expect);
    } finally {
      await client.close();
    }
    expect(transport.pid === null || transport.pid === undefined || !isAlive(transport.pid)).toBe(true);
  });

  it.each(SERVERS)('$folder writes nothing but JSON-RPC to stdout, even for bad calls', async (server) => {
    const { stdout, code } = await rawSession(
      [bundleOf(server.folder), '--now', DATASET_NOW],
      [
        initialize,
        initialized,
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: server.probe.name, arguments: server.probe.args } },
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: server.tools[1], arguments: { nonsense: ['x'] } } },
        { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } },
        { jsonrpc: '2.0', id: 6, method: 'no/such/method' },
        'this line is not JSON',
      ],
    );
    const lines = stdout.split('\n').filter((line) => line.length > 0);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    const byId = new Map(
      lines
        .map((line) => JSON.parse(line))
        .filter((m) => 'id' in m)
        .map((m) => [m.id, m]),
    );
    expect(byId.get(4).result.isError).toBe(true);
    expect(JSON.parse(byId.get(4).result.content[0].text).error).toBe(`Invalid arguments for ${server.tools[1]}`);
    expect(byId.get(5).result.structuredContent.error).toBe('Unknown tool no_such_tool');
    expect(byId.get(6).error.code).toBe(-32601);
    expect(code).toBe(0);
  });

  it('runs from the TypeScript source too (node type stripping)', async () => {
    const { stdout, code } = await rawSession(
      [resolve(ROOT, 'servers/tickets/index.ts')],
      [initialize, initialized, { jsonrpc: '2.0', id: 2, method: 'tools/list' }],
    );
    const list = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((m) => m.id === 2);
    expect(list.result.tools).toHaveLength(4);
    expect(code).toBe(0);
  });

  it('pins the clock from HELPDESK_NOW', async () => {
    const { stdout } = await rawSession(
      [bundleOf('tickets')],
      [initialize, initialized, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_ticket_metrics', arguments: {} } }],
      { HELPDESK_NOW: '2025-10-06T12:00:00Z' },
    );
    const call = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((m) => m.id === 2);
    expect(call.result.structuredContent).toMatchObject({ start_date: '2025-09-29', total_tickets: 13 });
  });

  it('drops a message over 10 MiB with a line on stderr, answers it with -32600 when its id can be read, and keeps serving', async () => {
    // As the SDK's client writes it: the id comes last.
    const huge = `{"method":"tools/call","params":{"name":"search_tickets","arguments":{"customer_id":"${'x'.repeat(11 * 1024 * 1024)}"}},"jsonrpc":"2.0","id":2}`;
    const list = { jsonrpc: '2.0', id: 3, method: 'tools/list' };
    const { stdout, stderr, code } = await rawSession(
      [bundleOf('tickets'), '--now', DATASET_NOW],
      [initialize, initialized, huge, list],
      {},
      3,
    );
    const answers = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id?: number; error?: { code: number; message: string }; result?: { tools?: unknown[] } });
    expect(answers.find((a) => a.id === 2)?.error).toEqual({
      code: -32600,
      message: `Message too large: ${huge.length.toLocaleString('en-US')} bytes; one message may have at most 10,485,760 bytes`,
    });
    expect(answers.find((a) => a.id === 3)?.result?.tools).toHaveLength(4);
    expect(stderr).toContain(
      `dropped a message of ${huge.length.toLocaleString('en-US')} bytes on stdin: one message may have at most 10,485,760 bytes`,
    );
    expect(code).toBe(0);
  });

  it('refuses to start with a malformed HELPDESK_NOW and says why on stderr', async () => {
    const { stdout, stderr, code } = await rawSession([bundleOf('billing')], [initialize], { HELPDESK_NOW: 'yesterday' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Invalid instant "yesterday"');
  });
});
