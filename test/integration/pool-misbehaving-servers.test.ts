import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runQuery } from '../../src/orchestrator/agent-loop.ts';
import { builtinServers } from '../../src/orchestrator/builtin-servers.ts';
import type { ServerConfig, ServersConfig } from '../../src/orchestrator/config.ts';
import { SERVER_CLOSE_TIMEOUT_MS, TOOL_ARGUMENTS_MAX_BYTES } from '../../src/orchestrator/constants.ts';
import { ServerStartError } from '../../src/orchestrator/errors.ts';
import { ScriptedModel } from '../../src/orchestrator/scripted-model.ts';
import { ServerPool, type PoolOptions } from '../../src/orchestrator/server-pool.ts';
import { DATASET_NOW } from '../../src/shared/clock.ts';
import { isAlive, stillAlive } from '../../src/shared/processes.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'servers');
const BASE_ENV = { HELPDESK_NOW: DATASET_NOW };

/** A fixture server run by node's type stripping. */
function fixture(file: string, extra: Partial<ServerConfig> = {}): ServerConfig {
  return { command: process.execPath, args: [join(FIXTURES, file)], env: {}, disabled: false, ...extra };
}

const opened: ServerPool[] = [];
const seenPids = new Set<number>();

/** Opens a pool that afterEach closes; every pid it ever had is checked to be gone. */
async function open(config: ServersConfig, options: PoolOptions = {}): Promise<ServerPool> {
  const pool = await ServerPool.open(config, { baseEnv: BASE_ENV, startTimeoutMs: 8_000, toolTimeoutMs: 5_000, ...options });
  opened.push(pool);
  remember(pool);
  return pool;
}

function remember(pool: ServerPool): void {
  for (const pid of pool.pids()) seenPids.add(pid);
}

afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((pool) => pool.close()));
  const pids = [...seenPids];
  seenPids.clear();
  expect(await stillAlive(pids, 500), 'server processes left running').toEqual([]);
});

/**
 * Child processes this test started (Linux /proc), with their command lines (empty for a zombie).
 * Children the test process already had when the test began are not the test's: under a runner
 * such as Stryker's, the process hosting the tests also runs workers and a transpiler of its own.
 */
function children(): { pid: number; cmdline: string }[] {
  return childProcesses().filter((child) => !preexisting.has(child.pid));
}

let preexisting = new Set<number>();
beforeEach(() => {
  preexisting = HAS_PROC ? new Set(childProcesses().map((child) => child.pid)) : new Set();
});

function childProcesses(): { pid: number; cmdline: string }[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) return [];
      return [{ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ') }];
    } catch {
      return [];
    }
  });
}

/** Polls `probe` until it returns a value, for at most `withinMs`. */
async function waitFor<T>(probe: () => T | undefined, withinMs: number): Promise<T> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const HAS_PROC = existsSync('/proc/self/stat');

function parsed(content: string): Record<string, unknown> {
  return JSON.parse(content) as Record<string, unknown>;
}

describe('ServerPool with misbehaving servers', () => {
  it.runIf(HAS_PROC)(
    'names a server that exits at both of its starts, keeps its stderr and stops the five built-ins started with it',
    async () => {
      const seen = new Map<number, string>();
      let opening = true;
      const watcher = (async () => {
        while (opening) {
          for (const child of children()) if (child.cmdline !== '') seen.set(child.pid, child.cmdline);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const failure = await ServerPool.open(
        { ...builtinServers(process.execPath), broken: fixture('exits-at-start.ts') },
        { baseEnv: BASE_ENV, startTimeoutMs: 8_000 },
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      opening = false;
      await watcher;

      expect(failure).toBeInstanceOf(ServerStartError);
      const error = failure as ServerStartError;
      expect(error.server).toBe('broken');
      expect(error.code).toBe('server_start_failed');
      expect(error.message).toBe('Server "broken" failed to start: the process exited during start-up, each of the 2 times it was started');
      expect(error.stderr).toContain('fatal: database file missing (/var/lib/helpdesk/tickets.db)');
      const builtinPids = [...seen]
        .filter(([, cmdline]) => /dist\/servers\/\w+\.mjs|servers\/\w+\/index\.ts/.test(cmdline))
        .map(([pid]) => pid);
      expect(builtinPids).toHaveLength(5);
      expect(
        [...seen.values()].filter((cmdline) => cmdline.includes('exits-at-start.ts')),
        'starts of the broken server',
      ).toHaveLength(2);
      expect(builtinPids.filter(isAlive)).toEqual([]);
      expect(children()).toEqual([]);
    },
  );

  it('opens the pool when a server dies during its first start: it is started once more, serves, and has no restart counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-first-start-'));
    const marker = join(dir, 'started-once');
    const warnings: string[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (line: string) => {
        warnings.push(line);
      },
      error: () => {},
    };
    try {
      const pool = await open(
        {
          tickets: builtinServers(process.execPath).tickets!,
          flaky: fixture('dies-at-first-start.ts', { args: [join(FIXTURES, 'dies-at-first-start.ts'), marker] }),
        },
        { logger },
      );
      const firstPid = Number(readFileSync(marker, 'utf8'));
      const answer = parsed((await pool.callTool('whoami', {})).content);
      expect(answer.pid).toBeGreaterThan(0);
      expect(answer.pid).not.toBe(firstPid);
      expect(isAlive(firstPid)).toBe(false);
      expect(pool.servers().map(({ name, state, restarts }) => ({ name, state, restarts }))).toEqual([
        { name: 'tickets', state: 'ready', restarts: 0 },
        { name: 'flaky', state: 'ready', restarts: 0 },
      ]);
      expect(warnings).toEqual(['server flaky exited during start-up; starting it again']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says a server that writes garbage to stdout gave no MCP handshake within the start timeout, and stops it', async () => {
    const started = performance.now();
    const error = await ServerPool.open({ banner: fixture('garbage-stdout.ts') }, { startTimeoutMs: 700 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerStartError);
    expect((error as ServerStartError).server).toBe('banner');
    expect((error as ServerStartError).message).toBe(
      'Server "banner" failed to start: no MCP handshake within 700 ms (is it an MCP server writing JSON-RPC on stdout?)',
    );
    expect(performance.now() - started).toBeLessThan(700 + SERVER_CLOSE_TIMEOUT_MS + 1_000);
    if (HAS_PROC)
      expect(
        await stillAlive(
          children().map((child) => child.pid),
          500,
        ),
      ).toEqual([]);
  });

  it.runIf(HAS_PROC)('kills a server that gave no handshake even when it ignores stdin end and SIGTERM', async () => {
    const error = await ServerPool.open(
      { banner: fixture('garbage-stdout.ts', { args: [join(FIXTURES, 'garbage-stdout.ts'), '--stubborn'] }) },
      { startTimeoutMs: 500 },
    ).catch((e: unknown) => e);
    const leftovers = children().map((child) => child.pid);
    try {
      expect(error).toBeInstanceOf(ServerStartError);
      expect(await stillAlive(leftovers, 500)).toEqual([]);
    } finally {
      for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      await stillAlive(leftovers, 500);
    }
  });

  it('says "command not found" for a command that does not exist', async () => {
    const error = await ServerPool.open({
      ghost: { command: 'helpdesk-no-such-command-7f3a', args: ['--serve'], env: {}, disabled: false },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerStartError);
    expect((error as ServerStartError).server).toBe('ghost');
    expect((error as ServerStartError).message).toBe('Server "ghost" failed to start: command not found: helpdesk-no-such-command-7f3a');
  });

  it("returns a server's own isError envelope as the call's envelope", async () => {
    const pool = await open({ tickets: builtinServers(process.execPath).tickets! });
    const outcome = await pool.callTool('get_ticket_details', { ticket_id: 'TKT-9999' });
    expect(outcome.server).toBe('tickets');
    expect(outcome.envelope).toMatchObject({ error: 'Ticket TKT-9999 not found', retryable: true, follow_up_tools: ['search_tickets'] });
    expect(parsed(outcome.content)).toEqual(outcome.envelope);
  });

  it('wraps a plain-text isError result of a third-party server in an envelope', async () => {
    const pool = await open({ external: fixture('third-party-tickets.ts') });
    const outcome = await pool.callTool('sync_tickets', {});
    expect(outcome.envelope).toEqual({
      error: 'Tool sync_tickets reported an error',
      reason: 'upstream tracker answered 503 Service Unavailable',
      suggested_actions: ['Read the reason, fix the arguments and try again, or use another tool.'],
      retryable: true,
      context: { server: 'external', tool: 'sync_tickets' },
    });
  });

  it('answers an unknown tool with "Tool X not found", similar names and every available tool', async () => {
    const pool = await open(builtinServers(process.execPath));
    const outcome = await pool.callTool('search_ticket', { customer_id: 'CUST-001' });
    expect(outcome.server).toBeUndefined();
    expect(outcome.envelope?.error).toBe('Tool search_ticket not found');
    expect(outcome.envelope?.retryable).toBe(true);
    expect(outcome.envelope?.follow_up_tools).toContain('search_tickets');
    expect(outcome.envelope?.context).toEqual({ tool: 'search_ticket', available_tools: pool.registry.names() });
    expect(pool.registry.names()).toHaveLength(20);
  });

  it('answers a call whose server died during it with a retryable envelope, never sends it again, and restarts the server for the next call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-crash-'));
    try {
      const pool = await open({ flaky: fixture('crashes-mid-call.ts') }, { toolTimeoutMs: 10_000 });
      const before = parsed((await pool.callTool('ok', {})).content);
      const crashed = await pool.callTool('crash', { once_file: join(dir, 'crashed-once') });
      expect(crashed.envelope).toMatchObject({
        error: 'Server flaky stopped during the call to crash',
        retryable: true,
        context: { server: 'flaky', tool: 'crash' },
      });
      expect(crashed.envelope?.reason).toContain('was not sent again');
      // The call was not replayed: a replay after the restart would have found the file and survived.
      expect(pool.servers()).toEqual([expect.objectContaining({ name: 'flaky', state: 'crashed', restarts: 0 })]);
      const after = parsed((await pool.callTool('ok', {})).content);
      remember(pool);
      expect(after.ok).toBe(true);
      expect(after.pid).not.toBe(before.pid);
      expect(isAlive(before.pid as number)).toBe(false);
      const retried = await pool.callTool('crash', { once_file: join(dir, 'crashed-once') });
      expect(parsed(retried.content)).toMatchObject({ survived: true, pid: after.pid });
      expect(pool.servers()).toEqual([expect.objectContaining({ name: 'flaky', state: 'ready', restarts: 1, pid: after.pid })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks a server unavailable when it dies again after its restart, while the other servers keep answering', async () => {
    const toolTimeoutMs = 10_000;
    const pool = await open(
      { tickets: builtinServers(process.execPath).tickets!, flaky: fixture('crashes-mid-call.ts') },
      { toolTimeoutMs },
    );
    const first = await pool.callTool('crash', {});
    expect(first.envelope?.error).toBe('Server flaky stopped during the call to crash');
    const second = await pool.callTool('crash', {});
    remember(pool);
    expect(second.durationMs).toBeLessThan(toolTimeoutMs / 5);
    expect(second.server).toBe('flaky');
    expect(second.envelope?.error).toBe('Server flaky is unavailable');
    expect(second.envelope?.retryable).toBe(true);
    expect(second.envelope?.reason).toContain('the process exited unexpectedly');
    expect(pool.servers().find((s) => s.name === 'flaky')?.stderrTail).toContain('segmentation fault (simulated)');
    expect(second.envelope?.context).toEqual({ server: 'flaky', tool: 'crash' });
    expect(pool.servers().find((s) => s.name === 'flaky')).toMatchObject({ state: 'unavailable', restarts: 1 });

    const ok = await pool.callTool('ok', {});
    expect(ok.envelope?.error).toBe('Server flaky is unavailable');
    const tickets = await pool.callTool('search_tickets', { customer_id: 'CUST-001', priority: 'critical' });
    expect(tickets.envelope).toBeUndefined();
    expect(tickets.content).toContain('TKT-1004');
  });

  it('refuses a call whose arguments are past the size limit before sending it, naming the size, and the server keeps serving', async () => {
    const pool = await open({ tickets: builtinServers(process.execPath).tickets! }, { toolTimeoutMs: 10_000 });
    const [pid] = pool.pids();
    const huge = 'x'.repeat(11 * 1024 * 1024);
    const outcome = await pool.callTool('search_tickets', { customer_id: huge });
    expect(outcome.envelope).toMatchObject({
      error: 'Arguments for search_tickets are too large',
      retryable: true,
      context: { server: 'tickets', tool: 'search_tickets', bytes: 11 * 1024 * 1024 + 18, limit_bytes: TOOL_ARGUMENTS_MAX_BYTES },
    });
    expect(outcome.envelope?.reason).toContain('11,534,354 bytes');
    expect(outcome.durationMs).toBeLessThan(2_000);
    const tickets = await pool.callTool('search_tickets', { customer_id: 'CUST-001', priority: 'critical' });
    expect(tickets.envelope).toBeUndefined();
    expect(pool.servers()).toEqual([expect.objectContaining({ state: 'ready', restarts: 0, pid })]);
  });

  it('stops a restarting server when the pool closes mid-restart, and starts no process after close', async () => {
    const pool = await open({ flaky: fixture('crashes-mid-call.ts') }, { toolTimeoutMs: 10_000 });
    const [first] = pool.pids();
    await pool.callTool('crash', {});
    const call = pool.callTool('ok', {});
    const second = await waitFor(() => {
      const status = pool.servers()[0];
      return status?.state === 'starting' && status.restarts === 1 ? status.pid : undefined;
    }, 3_000);
    await pool.close();
    const outcome = await call;
    expect(outcome.envelope?.error).toBe('Server flaky is unavailable');
    expect([first, second].filter((pid) => pid !== undefined && isAlive(pid))).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(pool.pids()).toEqual([]);
    if (HAS_PROC) expect(children()).toEqual([]);
  });

  it('answers a hanging call with a timeout envelope after toolTimeoutMs and keeps the server usable', async () => {
    const pool = await open({ stuck: fixture('hangs.ts') }, { toolTimeoutMs: 300 });
    const outcome = await pool.callTool('wait_forever', {});
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
    expect(outcome.durationMs).toBeLessThan(2_000);
    expect(outcome.envelope).toMatchObject({
      error: 'Tool wait_forever timed out',
      reason: 'The stuck server did not answer within 300 ms.',
      retryable: true,
      context: { server: 'stuck', tool: 'wait_forever', timeout_ms: 300 },
    });
    const ping = await pool.callTool('ping', {});
    expect(ping.envelope).toBeUndefined();
    expect(parsed(ping.content).pong).toBe(true);
    expect(pool.servers()).toEqual([expect.objectContaining({ state: 'ready', restarts: 0 })]);
  });

  it("uses a server's own toolTimeoutMs from its config over the pool's", async () => {
    const pool = await open({ stuck: fixture('hangs.ts', { toolTimeoutMs: 150 }) }, { toolTimeoutMs: 10_000 });
    const outcome = await pool.callTool('wait_forever', {});
    expect(outcome.envelope?.context).toMatchObject({ timeout_ms: 150 });
    expect(outcome.durationMs).toBeLessThan(2_000);
  });

  it('rejects a hanging call promptly when its AbortSignal fires, and the server still answers', async () => {
    const pool = await open({ stuck: fixture('hangs.ts') }, { toolTimeoutMs: 10_000 });
    const controller = new AbortController();
    const started = performance.now();
    const call = pool.callTool('wait_forever', {}, controller.signal);
    setTimeout(() => controller.abort(new Error('user pressed Ctrl+C')), 100);
    await expect(call).rejects.toThrow('user pressed Ctrl+C');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(parsed((await pool.callTool('ping', {})).content).pong).toBe(true);
  });

  it('gives each of 20 concurrent calls across servers its own result', async () => {
    const pool = await open({ ...builtinServers(process.execPath), slow: fixture('slow.ts') });
    const calls = Array.from({ length: 20 }, (_, i) => {
      const n = (i % 5) + 1;
      switch (i % 4) {
        case 0:
          return { name: 'slow', args: { ms: 200 - i * 10, tag: `call-${i}` }, field: 'tag', expect: `call-${i}` };
        case 1:
          return { name: 'get_ticket_details', args: { ticket_id: `TKT-100${n}` }, field: 'ticket_id', expect: `TKT-100${n}` };
        case 2:
          return { name: 'lookup_customer', args: { customer_id: `CUST-00${n}` }, field: 'customer_id', expect: `CUST-00${n}` };
        default:
          return { name: 'get_article', args: { article_id: `KB-00${n}` }, field: 'article_id', expect: `KB-00${n}` };
      }
    });
    const outcomes = await Promise.all(calls.map((call) => pool.callTool(call.name, call.args)));
    const got = outcomes.map((outcome, i) => (outcome.envelope ? outcome.envelope.error : parsed(outcome.content)[calls[i]!.field]));
    expect(got).toEqual(calls.map((call) => call.expect));
  });

  it('runs two agent queries at once on one pool without mixing their tool results', async () => {
    const pool = await open({ ...builtinServers(process.execPath), slow: fixture('slow.ts') });
    const modelA = new ScriptedModel([
      {
        toolCalls: [
          { name: 'slow', arguments: { ms: 150, tag: 'query-A' } },
          { name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } },
        ],
      },
      { answer: 'A: TKT-1001 and TKT-1004' },
    ]);
    const modelB = new ScriptedModel([
      {
        toolCalls: [
          { name: 'lookup_customer', arguments: { customer_id: 'CUST-002' } },
          { name: 'slow', arguments: { ms: 20, tag: 'query-B' } },
        ],
      },
      { answer: 'B: done' },
    ]);
    const [a, b] = await Promise.all([
      runQuery({ model: modelA, tools: pool, query: 'critical tickets of CUST-001?', systemPrompt: 'test' }),
      runQuery({ model: modelB, tools: pool, query: 'who is CUST-002?', systemPrompt: 'test' }),
    ]);
    modelA.assertComplete();
    modelB.assertComplete();
    const results = (t: typeof a) =>
      t.transcript.events.flatMap((e) => (e.type === 'tool_result' ? [{ name: e.name, content: parsed(e.content) }] : []));
    expect(a.transcript.answer).toBe('A: TKT-1001 and TKT-1004');
    expect(results(a).map((r) => r.name)).toEqual(['slow', 'search_tickets']);
    expect(results(a)[0]?.content.tag).toBe('query-A');
    const tickets = results(a)[1]?.content.tickets as { ticket_id: string }[];
    expect(tickets.map((t) => t.ticket_id).sort()).toEqual(['TKT-1001', 'TKT-1004']);
    expect(results(b).map((r) => r.name)).toEqual(['lookup_customer', 'slow']);
    expect(results(b)[0]?.content.customer_id).toBe('CUST-002');
    expect(results(b)[1]?.content.tag).toBe('query-B');
  });

  it('offers both colliding search_tickets tools under server-prefixed names and routes each to its own server', async () => {
    const pool = await open({ ...builtinServers(process.execPath), external: fixture('third-party-tickets.ts') });
    const names = pool.openAITools().map((tool) => tool.function.name);
    expect(names).toContain('tickets__search_tickets');
    expect(names).toContain('external__search_tickets');
    expect(names).not.toContain('search_tickets');
    expect(names).toHaveLength(22);
    expect(pool.serverOf('tickets__search_tickets')).toBe('tickets');
    expect(pool.serverOf('external__search_tickets')).toBe('external');

    const builtin = await pool.callTool('tickets__search_tickets', { customer_id: 'CUST-001', priority: 'critical' });
    expect(builtin.server).toBe('tickets');
    expect(builtin.content).toContain('TKT-1004');
    const external = await pool.callTool('external__search_tickets', { query: 'printer' });
    expect(external.server).toBe('external');
    expect(parsed(external.content)).toMatchObject({ source: 'third-party-tickets', query: 'printer' });
    expect((await pool.callTool('search_tickets', {})).envelope?.error).toBe('Tool search_tickets not found');
  });

  it('starts servers with only baseEnv, their config env and the SDK defaults, and with the heap limit flag', async () => {
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-test-must-not-leak';
    try {
      const pool = await open(
        { plain: fixture('dump-env.ts'), small: fixture('dump-env.ts', { env: { SMALL_ONLY: '1' }, memoryLimitMb: 64 }) },
        { baseEnv: { HELPDESK_NOW: DATASET_NOW, HELPDESK_LOG_LEVEL: 'warn' }, memoryLimitMb: 96 },
      );
      const defaults = DEFAULT_INHERITED_ENV_VARS.filter((name) => process.env[name] !== undefined);
      const plain = parsed((await pool.callTool('plain__env', {})).content);
      const small = parsed((await pool.callTool('small__env', {})).content);
      expect(plain.names).not.toContain('OPENAI_API_KEY');
      expect(plain.names).toEqual([...defaults, 'HELPDESK_NOW', 'HELPDESK_LOG_LEVEL'].sort());
      expect(small.names).toEqual([...defaults, 'HELPDESK_NOW', 'HELPDESK_LOG_LEVEL', 'SMALL_ONLY'].sort());
      expect(plain.execArgv).toContain('--max-old-space-size=96');
      expect(small.execArgv).toContain('--max-old-space-size=64');
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  it('closes every server, a hung stubborn one too, within the close timeout; a second close is harmless', async () => {
    const pool = await open(
      { ...builtinServers(process.execPath), stuck: fixture('hangs.ts', { args: [join(FIXTURES, 'hangs.ts'), '--stubborn'] }) },
      { toolTimeoutMs: 10_000 },
    );
    const pids = pool.pids();
    expect(pids).toHaveLength(6);
    const inFlight = pool.callTool('wait_forever', {});
    await new Promise((r) => setTimeout(r, 100));

    const started = performance.now();
    await pool.close();
    expect(performance.now() - started).toBeLessThan(SERVER_CLOSE_TIMEOUT_MS + 1_000);
    expect(await stillAlive(pids, 200)).toEqual([]);
    expect(pool.pids()).toEqual([]);

    const again = performance.now();
    await expect(pool.close()).resolves.toBeUndefined();
    expect(performance.now() - again).toBeLessThan(50);
    const outcome = await inFlight;
    expect(outcome.envelope?.error).toBe('Server stuck is unavailable');
    expect(pool.servers().map((s) => s.state)).toEqual(['closed', 'closed', 'closed', 'closed', 'closed', 'closed']);
  });

  it('leaves no process behind, not even a stubborn one, by the time close() resolves', async () => {
    const pool = await open({ stuck: fixture('hangs.ts', { args: [join(FIXTURES, 'hangs.ts'), '--stubborn'] }) });
    const pids = pool.pids();
    await pool.close();
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('leaves no built-in server process behind by the time close() resolves', async () => {
    const pool = await open(builtinServers(process.execPath));
    const pids = pool.pids();
    expect(pids).toHaveLength(5);
    await pool.close();
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
