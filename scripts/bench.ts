// `npm run bench`: the orchestrator's performance targets, measured. Prints medians and ratios
// against baselines measured in the same run, because absolute times vary by up to 30% between
// runs on this 2-core machine:
//   - start-up: all five servers spawned, initialized and their tools discovered (ServerPool.open),
//     against ARCHITECTURE.md's 2-3 s and our 0.6 s target;
//   - discovery: tools/list on a running server (target < 1 s);
//   - a routed tool call (ServerPool.callTool) against a raw SDK Client.callTool on the same kind
//     of server (target: within 1.2x), and against ARCHITECTURE.md's 50-200 ms;
//   - over Streamable HTTP (servers/all on loopback): the routed call against a raw SDK client
//     over HTTP (within 1.2x), HTTP against stdio, and 50 concurrent sessions (p50/p99, errors).
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DATASET_NOW } from '../src/shared/clock.ts';
import { builtinServers } from '../src/orchestrator/builtin-servers.ts';
import { ServerPool } from '../src/orchestrator/server-pool.ts';
import { median, time } from './bench-startup.ts';
import { buildServers } from './build-servers.ts';
import { ARGS, CALLS_PER_SESSION, SESSIONS, concurrentSessions, httpClient, httpPool, serveAll } from './bench-http.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);


const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);

/** Median per-call latency over `count` sequential calls, in rounds so one slow moment does not dominate. */
async function perCall(call: () => Promise<unknown>, count: number): Promise<number> {
  for (let i = 0; i < 200; i += 1) await call();
  const rounds: number[] = [];
  const perRound = Math.max(1, Math.floor(count / 10));
  for (let r = 0; r < 10; r += 1) {
    const start = performance.now();
    for (let i = 0; i < perRound; i += 1) await call();
    rounds.push((performance.now() - start) / perRound);
  }
  return median(rounds);
}

/**
 * Two ways of making the same call, measured in alternating rounds (a, b, b, a, …) so that
 * drift in the machine's speed hits both alike. Returns each one's median per-call time and the
 * median of the per-round ratios b/a.
 */
async function paired(a: () => Promise<unknown>, b: () => Promise<unknown>, count: number): Promise<{ a: number; b: number; ratio: number }> {
  for (let i = 0; i < 200; i += 1) {
    await a();
    await b();
  }
  const perRound = Math.max(1, Math.floor(count / 20));
  const round = async (call: () => Promise<unknown>) => {
    const start = performance.now();
    for (let i = 0; i < perRound; i += 1) await call();
    return (performance.now() - start) / perRound;
  };
  const as: number[] = [];
  const bs: number[] = [];
  for (let r = 0; r < 20; r += 1) {
    if (r % 2 === 0) {
      as.push(await round(a));
      bs.push(await round(b));
    } else {
      bs.push(await round(b));
      as.push(await round(a));
    }
  }
  return { a: median(as), b: median(bs), ratio: median(bs.map((x, i) => x / (as[i] as number))) };
}

async function main(): Promise<void> {
  await buildServers();
  const config = builtinServers(process.execPath);
  const env = { HELPDESK_NOW: DATASET_NOW };

  const bare: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    bare.push(await time(() => new Promise((done) => spawn(process.execPath, ['-e', '0']).on('exit', done))));
  }
  const nodeBaseline = median(bare);

  const opens: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    let pool: ServerPool | undefined;
    opens.push(await time(async () => { pool = await ServerPool.open(config, { baseEnv: env }); }));
    await pool?.close();
  }
  const startup = median(opens);

  const tickets = config.tickets;
  if (!tickets) throw new Error('no tickets server in the built-in config');
  const raw = new Client({ name: 'bench-raw', version: '0' });
  await raw.connect(new StdioClientTransport({ command: tickets.command ?? process.execPath, args: tickets.args, env, stderr: 'ignore' }));
  const discovery = await perCall(() => raw.listTools(), 200);

  const pool = await ServerPool.open(config, { baseEnv: env });
  const calls = await paired(
    () => raw.callTool({ name: 'get_ticket_details', arguments: ARGS }),
    () => pool.callTool('get_ticket_details', ARGS),
    CALLS * 2,
  );
  await pool.close();

  const { base, child } = await serveAll();
  const url = `${base}/tickets/mcp`;
  const rawHttp = await httpClient(url);
  const httpRouted = await httpPool(url);
  const overHttp = await paired(
    () => rawHttp.callTool({ name: 'get_ticket_details', arguments: ARGS }),
    () => httpRouted.callTool('get_ticket_details', ARGS),
    CALLS,
  );
  const transports = await paired(
    () => raw.callTool({ name: 'get_ticket_details', arguments: ARGS }),
    () => rawHttp.callTool({ name: 'get_ticket_details', arguments: ARGS }),
    CALLS,
  );
  await Promise.allSettled([httpRouted.close(), rawHttp.close(), raw.close()]);
  const load = await concurrentSessions(url);
  child.kill('SIGTERM');

  const rows: [string, string, string, string][] = [
    ['start-up: five servers + discovery (ServerPool.open)', fmt(startup), `${(startup / nodeBaseline).toFixed(1)}× node -e 0`, `target < 600 ms; ARCHITECTURE 2-3 s → ${(2500 / startup).toFixed(1)}× faster`],
    ['discovery: tools/list on a running server', fmt(discovery), '', 'ARCHITECTURE < 1 s'],
    ['raw SDK Client.callTool (baseline)', fmt(calls.a), '1.00×', ''],
    ['routed ServerPool.callTool', fmt(calls.b), `${calls.ratio.toFixed(2)}× raw`, 'target ≤ 1.20× raw (median of paired rounds); ARCHITECTURE 50-200 ms'],
    ['HTTP: raw SDK client over Streamable HTTP (baseline)', fmt(overHttp.a), '1.00×', `${transports.ratio.toFixed(2)}× the raw stdio call (${fmt(transports.a)})`],
    ['HTTP: routed ServerPool.callTool to a url server', fmt(overHttp.b), `${overHttp.ratio.toFixed(2)}× raw HTTP`, 'target ≤ 1.20× raw HTTP'],
    [`HTTP: ${SESSIONS} sessions at once, ${CALLS_PER_SESSION} calls each`, `p50 ${fmt(load.p50)}`, `p99 ${fmt(load.p99)}`, `${load.errors} errors of ${load.calls} calls (target 0); ${Math.round(load.calls / (load.wallMs / 1000))} calls/s`],
  ];
  console.log(`mcp-helpdesk bench: ${RUNS} start-ups, ${CALLS} calls per series; node ${process.version}; baseline node -e 0 = ${fmt(nodeBaseline)}`);
  for (const [what, value, ratio, target] of rows) {
    console.log(`${what.padEnd(54)} ${value.padStart(11)}  ${ratio.padEnd(18)} ${target}`);
  }
}

await main();
