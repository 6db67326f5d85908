// `npm run bench`: the orchestrator's performance targets, measured. Prints medians and ratios
// against baselines measured in the same run, because absolute times vary by up to 30% between
// runs on this 2-core machine:
//   - start-up: all five servers spawned, initialized and their tools discovered (ServerPool.open),
//     against ARCHITECTURE.md's 2-3 s and our 0.6 s target;
//   - discovery: tools/list on a running server (target < 1 s);
//   - a routed tool call (ServerPool.callTool) against a raw SDK Client.callTool on the same kind
//     of server (target: within 1.2x), and against ARCHITECTURE.md's 50-200 ms;
//   - over Streamable HTTP (servers/all on loopback): the routed call against a raw SDK client
//     over HTTP (within 1.2x), HTTP against stdio, and 50 concurrent sessions (p50/p99, errors);
//   - tracing (bench-traces.ts): the built-in suite replayed untraced and traced to an OTLP receiver;
//   - the harness at scale (bench-scale.ts): replayed suites of 100, 1,000 and 10,000 scenarios,
//     one and two worker threads, report.html opening in Chromium, 50 live queries at once.
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DATASET_NOW } from '../src/shared/clock.ts';
import { builtinServers } from '../src/orchestrator/builtin-servers.ts';
import { ServerPool } from '../src/orchestrator/server-pool.ts';
import { median, time } from './bench-startup.ts';
import { buildServers } from './build-servers.ts';
import { liveConcurrency, runScale, type ScaleRun } from './bench-scale.ts';
import { ARGS, CALLS_PER_SESSION, SESSIONS, concurrentSessions, httpClient, httpPool, serveAll } from './bench-http.ts';
import { traceCost } from './bench-traces.ts';

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
async function paired(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  count: number,
): Promise<{ a: number; b: number; ratio: number }> {
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
    opens.push(
      await time(async () => {
        pool = await ServerPool.open(config, { baseEnv: env });
      }),
    );
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
  const traces = await traceCost(Math.max(3, Math.ceil(RUNS / 2)));

  const rows: [string, string, string, string][] = [
    [
      'start-up: five servers + discovery (ServerPool.open)',
      fmt(startup),
      `${(startup / nodeBaseline).toFixed(1)}× node -e 0`,
      `target < 600 ms; ARCHITECTURE 2-3 s → ${(2500 / startup).toFixed(1)}× faster`,
    ],
    ['discovery: tools/list on a running server', fmt(discovery), '', 'ARCHITECTURE < 1 s'],
    ['raw SDK Client.callTool (baseline)', fmt(calls.a), '1.00×', ''],
    [
      'routed ServerPool.callTool',
      fmt(calls.b),
      `${calls.ratio.toFixed(2)}× raw`,
      'target ≤ 1.20× raw (median of paired rounds); ARCHITECTURE 50-200 ms',
    ],
    [
      'HTTP: raw SDK client over Streamable HTTP (baseline)',
      fmt(overHttp.a),
      '1.00×',
      `${transports.ratio.toFixed(2)}× the raw stdio call (${fmt(transports.a)})`,
    ],
    [
      'HTTP: routed ServerPool.callTool to a url server',
      fmt(overHttp.b),
      `${overHttp.ratio.toFixed(2)}× raw HTTP`,
      'target ≤ 1.20× raw HTTP',
    ],
    [
      `HTTP: ${SESSIONS} sessions at once, ${CALLS_PER_SESSION} calls each`,
      `p50 ${fmt(load.p50)}`,
      `p99 ${fmt(load.p99)}`,
      `${load.errors} errors of ${load.calls} calls (target 0); ${Math.round(load.calls / (load.wallMs / 1000))} calls/s`,
    ],
    ['built-in suite replayed, untraced (baseline)', fmt(traces.untraced), '1.00×', 'OpenTelemetry never loaded'],
    [
      'built-in suite replayed, traced (OTLP on loopback)',
      fmt(traces.traced),
      `${traces.ratio.toFixed(2)}× untraced`,
      `${traces.spans} spans a run exported`,
    ],
  ];
  console.log(
    `mcp-helpdesk bench: ${RUNS} start-ups, ${CALLS} calls per series; node ${process.version}; baseline node -e 0 = ${fmt(nodeBaseline)}`,
  );
  for (const [what, value, ratio, target] of rows) {
    console.log(`${what.padEnd(54)} ${value.padStart(11)}  ${ratio.padEnd(18)} ${target}`);
  }
  if (SCALE.length > 0) await scaleTable();
}

/** Suite sizes of the scaling table (BENCH_SCALE=100,1000 to shorten it; empty to skip it). */
const SCALE = (process.env.BENCH_SCALE ?? '100,1000,10000').split(',').filter(Boolean).map(Number);

/** The harness at scale: replayed suites of N scenarios, one and two worker threads, 50 live queries at once. */
async function scaleTable(): Promise<void> {
  const runs: ScaleRun[] = [];
  for (const n of SCALE) runs.push(await runScale(n, 1, { open: true }));
  const mid = SCALE.includes(1000) ? 1000 : (SCALE[0] as number);
  const threads = await runScale(mid, 2, { open: false });
  const live = await liveConcurrency();
  const base = runs[0] as ScaleRun;
  const per = (r: ScaleRun) => r.wallMs / r.n;
  console.log(
    `\nreplayed suites (helpdesk eval on N generated scenarios, --concurrency 4; per scenario against N = ${base.n} in this run)`,
  );
  console.log(
    `${'N'.padStart(7)} ${'wall'.padStart(9)} ${'per scenario'.padStart(13)} ${'ratio'.padStart(7)} ${'peak RSS'.padStart(9)} ${'report.html'.padStart(12)} ${'results.json'.padStart(13)} ${'opens in'.padStart(9)}  passed`,
  );
  for (const r of runs) {
    console.log(
      `${String(r.n).padStart(7)} ${fmt(r.wallMs).padStart(9)} ${fmt(per(r)).padStart(13)} ${`${(per(r) / per(base)).toFixed(2)}×`.padStart(7)} ${`${r.peakRssMb.toFixed(0)} MB`.padStart(9)}` +
        ` ${`${r.htmlMb.toFixed(1)} MB`.padStart(12)} ${`${r.resultsMb.toFixed(1)} MB`.padStart(13)} ${(r.openMs === null ? 'n/a' : fmt(r.openMs)).padStart(9)}  ${r.passed}/${r.n}`,
    );
  }
  const alone = runs.find((r) => r.n === mid) as ScaleRun;
  console.log(
    `${mid} scenarios in 2 worker threads: ${fmt(threads.wallMs)} (${(alone.wallMs / threads.wallMs).toFixed(2)}× the speed of 1 thread), peak RSS ${threads.peakRssMb.toFixed(0)} MB, ${threads.passed}/${threads.n} passed`,
  );
  console.log(
    `50 live queries at once on one pool, endpoint answering in 200 ms: ${live.lost} lost, ${live.misrouted} misrouted (target 0); orchestrator time per query (end to end − model − tools) p99 ${fmt(live.loopP99)} (target ≤ 10 ms);` +
      ` tool calls p99 ${fmt(live.toolP99)} (the burst of 50 queued at one server process); all done in ${fmt(live.wallMs)}`,
  );
}

await main();
