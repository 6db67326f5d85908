// A worker thread of `helpdesk eval`: it runs its share of the suite with server pools, a replay
// hub and compiled validators of its own, set up once, and sends each finished scenario back as
// its journal line and thin record. Jobs come from a counter shared by every worker.
import { parentPort, workerData } from 'node:worker_threads';
import { PoolCache } from '../../run/pools.ts';
import { ReplayHub } from '../../cassettes/replay-hub.ts';
import { runOptions } from '../../run/execute.ts';
import { modeOf, servesCassettes } from '../../run/scenario-run.ts';
import { runScenario } from '../run-scenario.ts';
import { runQuietly, waitsForQuietRun } from '../confirm-latency.ts';
import { type ScenarioResult } from '../../results/scenario-result.ts';
import { loadScenarioCases, type LoadedScenario } from '../../scenario/scenario.ts';
import { journalEntry } from '../../results/journal.ts';
import { recordOf, slim } from '../../results/settle.ts';
import { crashed, type ScenarioTrials } from '../../results/scenario-result.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.ts';
import { startTracing, stopTracing } from '../../../shared/tracing.ts';

const port = parentPort;
if (!port) throw new Error('the eval worker runs in a worker thread');
const setup = workerData as WorkerSetup;
const post = (message: FromWorker) => port.postMessage(message);
const next = new Int32Array(setup.next);
const interrupt = new AbortController();
const pools = new PoolCache(setup.root, setup.serverEnv, setup.headerEnv, setup.servers);
const hub = servesCassettes(setup.mode) ? new ReplayHub() : undefined;
hub?.open();
// Traced runs: this thread's scenario spans go under the run's span, exported by this thread's own tracer.
const tracing = setup.traceparent ? await startTracing(process.env) : undefined;
const trace = setup.traceparent ? tracing?.under(setup.traceparent) : undefined;
const options = runOptions(setup, { pools, hub, signal: interrupt.signal, trace });
/** Latency-only failures waiting for their quiet re-run, with the job index of each. */
const pending: { index: number; run: ScenarioTrials }[] = [];
const files = new Map<string, LoadedScenario[]>();
let pids = '';

/** The case a job names, its file loaded once per worker. */
function load(index: number): LoadedScenario {
  const job = setup.jobs[index];
  if (!job) throw new Error(`no job ${index}`);
  let cases = files.get(job.file);
  if (!cases) {
    cases = loadScenarioCases(job.file, setup.cwd);
    files.set(job.file, cases);
  }
  const found = cases.find((c) => c.scenario.id === job.id);
  if (!found) throw new Error(`${job.file} no longer holds scenario ${job.id}`);
  return found;
}

function reportPids(): void {
  const now = pools.pids().join(',');
  if (now === pids) return;
  pids = now;
  post({ type: 'pids', pids: pools.pids() });
}

function send(index: number, run: ScenarioTrials): void {
  const { line, thin } = journalEntry(recordOf(run, setup.k, setup.root, setup.prices));
  const matrix: ScenarioResult[] | undefined = setup.matrix ? slim(run).results : undefined;
  post({ type: 'record', index, line, thin, ...(matrix ? { matrix } : {}) });
}

async function runJob(index: number): Promise<void> {
  post({ type: 'started', index });
  let loaded: LoadedScenario;
  try {
    loaded = load(index);
  } catch (error) {
    // The file changed or broke since the main thread read it: this scenario fails, the run goes on.
    const job = setup.jobs[index] as { file: string; id: string };
    post({ type: 'lost', index, reason: `could not load ${job.id} from ${job.file}: ${(error as Error).message}` });
    return;
  }
  if (setup.exitOnScenario === loaded.scenario.id) process.exit(7);
  const result = await runScenario(loaded, options).catch((error: unknown) => crashed(loaded, modeOf(setup.mode), error));
  reportPids();
  post({ type: 'progress', index, pass: result.pass, durationMs: result.durationMs });
  // Interrupted: a scenario cut short is not reported (the main thread counts what ran to its end).
  if (interrupt.signal.aborted && result.run?.transcripts.at(-1)?.stop_reason === 'aborted') {
    post({ type: 'dropped', index });
    return;
  }
  const run = { loaded, results: [result] };
  if (waitsForQuietRun(options, run)) pending.push({ index, run });
  else send(index, run);
}

async function work(): Promise<void> {
  const loops = Array.from({ length: setup.concurrency }, async () => {
    for (;;) {
      if (interrupt.signal.aborted) return;
      const index = Atomics.add(next, 0, 1);
      if (index >= setup.jobs.length) return;
      await runJob(index);
    }
  });
  await Promise.all(loops);
  post({ type: 'idle' });
}

async function confirm(): Promise<void> {
  const runs = pending.splice(0);
  const confirmed = await runQuietly(
    runs.map((p) => p.run),
    options,
    setup.concurrency,
  );
  for (const [i, run] of confirmed.entries()) {
    const index = (runs[i] as { index: number }).index;
    post({ type: 'confirmed', index, pass: run.results[0]?.pass === true });
    send(index, run);
  }
  post({ type: 'confirm-done' });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'prepare') void prepare();
  if (message.type === 'start') void work();
  if (message.type === 'abort') interrupt.abort();
  if (message.type === 'confirm') void confirm();
  if (message.type === 'close') {
    hub?.close();
    void Promise.all([pools.close(), stopTracing()]).then(() => post({ type: 'closed' }));
  }
});

/** Starts the pools the suite needs before any job runs (see PoolCache.prepare): the main thread names one job per pool. */
async function prepare(): Promise<void> {
  await pools.prepare(
    setup.prepare.flatMap((i) => {
      try {
        return [load(i).scenario];
      } catch {
        return [];
      }
    }),
  );
  reportPids();
  post({ type: 'ready' });
}
