import type { ServersConfig } from '../../orchestrator/config.ts';
import { availableParallelism } from 'node:os';
import { runQuietly, waitsForQuietRun } from './confirm-latency.ts';
import { poolKey } from '../run/pools.ts';
import type { PriceTable } from '../results/prices.ts';
import { runRecord, type RunInfo, type RunRecord, type ScenarioRecord } from '../results/records.ts';
import type { RunOptions } from '../run/execute.ts';
import { modeOf } from '../run/scenario-run.ts';
import { failedResult } from '../results/scenario-result.ts';
import { parseScenario, type LoadedScenario } from '../scenario/scenario.ts';
import type { InvalidScenarioFile } from '../scenario/load-suite.ts';
import type { ResultJournal } from '../results/journal.ts';
import { recordOf, slim } from '../results/settle.ts';
import { runTrials } from './trials.ts';
import { crashed, type ScenarioTrials } from '../results/scenario-result.ts';
import { runInWorkers } from './workers/run-in-workers.ts';

/** A scenario once its trials are done: its thin record, and what the fault matrix plans from. */
export interface Settled {
  readonly record: ScenarioRecord;
  readonly matrix: ScenarioTrials | undefined;
}

/** Scenarios per worker thread below which another thread costs more (start-up, its own servers) than it saves. */
export const SCENARIOS_PER_WORKER = 200;

/**
 * Cores one replaying thread keeps busy with its servers: measured 1.47 (the thread ~1, its five
 * server processes the rest), so two threads on two cores were slower than one (1,000 scenarios:
 * 0.62× the speed).
 */
export const CORES_PER_WORKER = 2;

/**
 * How many worker threads a run uses: for a large suite that no live model paces (replay,
 * rebase, authoring with a single trial), one per CORES_PER_WORKER cores and per
 * SCENARIOS_PER_WORKER scenarios; else (and on two cores) the main thread alone. `requested`
 * (--workers) overrides the default; 1 runs in the main thread.
 */
export function workerCount(requested: number | undefined, options: { live: boolean; trials: number; scenarios: number }): number {
  if (options.live || options.trials > 1) return 1;
  if (requested !== undefined) return requested;
  const cores = Math.floor(availableParallelism() / CORES_PER_WORKER);
  return Math.max(1, Math.min(cores, Math.floor(options.scenarios / SCENARIOS_PER_WORKER)));
}

/** What runSuite needs besides the scenarios. */
export interface SuiteOptions {
  readonly run: RunOptions;
  readonly journal: ResultJournal;
  readonly root: string;
  readonly cwd: string;
  readonly serverEnv: Readonly<Record<string, string>>;
  readonly headerEnv: Readonly<Record<string, string | undefined>>;
  /** The project's servers (the workers start their own pools of them). */
  readonly servers: ServersConfig;
  readonly trials: number;
  readonly k: number;
  readonly concurrency: number;
  readonly workers: number;
  /** The fault matrix follows: keep each scenario's calls. */
  readonly matrix: boolean;
  /** The prices of the cost estimates (default: the built-in table). */
  readonly prices?: PriceTable | undefined;
  /** A scenario (trial) ran: the progress line. */
  readonly onResult: (id: string, pass: boolean, durationMs: number, trial: number, done: number, total: number) => void;
  /** A latency-only failure was run again alone. */
  readonly onConfirm: (id: string, pass: boolean) => void;
  /** Test seam (worker threads): the thread that starts this scenario exits. Never set in normal runs. */
  readonly exitOnScenario?: string;
}

/**
 * Runs the selected scenarios and settles each one as soon as it is done: its whole record to
 * the journal, a thin copy kept. In worker threads when `workers` > 1, else in this thread.
 * Latency-only failures (replay and authoring) are run again alone after the others.
 */
export async function runSuite(scenarios: readonly LoadedScenario[], options: SuiteOptions): Promise<Settled[]> {
  return options.workers > 1 ? inWorkers(scenarios, options) : inThisThread(scenarios, options);
}

/** A scenario's trials settled in this thread: the whole record to the journal, the thin copy and (fault matrix) the calls kept. */
function settleHere(trials: ScenarioTrials, options: SuiteOptions): Settled {
  return {
    record: options.journal.keep(recordOf(trials, options.k, options.root, options.prices?.prices)),
    matrix: options.matrix ? slim(trials) : undefined,
  };
}

async function inThisThread(scenarios: readonly LoadedScenario[], options: SuiteOptions): Promise<Settled[]> {
  const { run } = options;
  await run.pools.prepare(scenarios.map((s) => s.scenario));
  const settle = (trials: ScenarioTrials) => settleHere(trials, options);
  const first = await runTrials(
    scenarios,
    run,
    options.trials,
    options.concurrency,
    (result, trial, done, total) => options.onResult(result.id, result.pass, result.durationMs, trial, done, total),
    (trials) => (waitsForQuietRun(run, trials) ? trials : settle(trials)),
  );
  const pending = first.filter((x): x is ScenarioTrials => 'results' in x);
  const confirmed = run.signal?.aborted
    ? pending
    : await runQuietly(pending, run, options.concurrency, (id, result) => options.onConfirm(id, result.pass));
  return [...first.filter((x): x is Settled => 'record' in x), ...confirmed.map(settle)];
}

async function inWorkers(scenarios: readonly LoadedScenario[], options: SuiteOptions): Promise<Settled[]> {
  const { run, journal } = options;
  const kept: Settled[] = [];
  const firstOfPool = new Map<string, number>();
  for (const [i, { scenario }] of scenarios.entries())
    if (!scenario.faults?.length && !firstOfPool.has(poolKey(scenario))) firstOfPool.set(poolKey(scenario), i);
  let done = 0;
  await runInWorkers(
    {
      mode: run.mode,
      recordingsDir: run.recordingsDir,
      root: options.root,
      cwd: options.cwd,
      serverEnv: options.serverEnv,
      headerEnv: options.headerEnv,
      servers: options.servers,
      promptTemplate: run.promptTemplate,
      modelSettings: run.modelSettings,
      ...(run.api ? { api: run.api } : {}),
      ...(run.trace ? { traceparent: run.trace.traceparent } : {}),
      matrix: options.matrix,
      k: options.k,
      prices: options.prices?.prices,
      prepare: [...firstOfPool.values()],
      jobs: scenarios.map((s) => ({ file: s.file, id: s.scenario.id })),
      exitOnScenario: options.exitOnScenario,
    },
    options.workers,
    options.concurrency,
    {
      onProgress: (index, pass, durationMs) => {
        done += 1;
        options.onResult(scenarios[index]?.scenario.id ?? '?', pass, durationMs, 1, done, scenarios.length);
      },
      onRecord: (index, line, thin, matrix) => {
        journal.keepLine(thin.id, line);
        const loaded = scenarios[index] as LoadedScenario;
        kept.push({ record: thin, matrix: matrix ? { loaded, results: matrix } : undefined });
      },
      onLost: (index, reason) => {
        const loaded = scenarios[index] as LoadedScenario;
        kept.push(settleHere({ loaded, results: [crashed(loaded, modeOf(run.mode), new Error(reason))] }, options));
      },
      onConfirmed: (index, pass) => options.onConfirm(scenarios[index]?.scenario.id ?? '?', pass),
    },
    run.signal,
  );
  return kept;
}

/**
 * A scenario file that could not be loaded, as a failed scenario of the run: its ID from the file
 * name, the problems as the reason. One bad file among thousands costs one row, not the run.
 */
export function invalidFileRecord(
  bad: InvalidScenarioFile,
  options: { mode: RunOptions['mode']; journal: ResultJournal; k: number; root: string },
): ScenarioRecord {
  const scenario = {
    ...parseScenario({ id: 'invalid-file', description: 'a scenario file that could not be loaded', turns: ['-'], expect: {} }),
    id: bad.id,
  };
  const loaded: LoadedScenario = { scenario, file: bad.file };
  const result = failedResult(loaded, modeOf(options.mode), `invalid scenario file: ${bad.problems.join('; ')}`);
  return options.journal.keep(recordOf({ loaded, results: [result] }, options.k, options.root));
}

/** A run's ID: its start time, its label (mode) and four random characters, e.g. 20261207T101500Z-replay-k3f9. */
export function newRunId(label: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${label}-${Math.random().toString(36).slice(2, 6)}`;
}

/** What evaluateSuite needs to describe the run in its record. */
export type SuiteRunInfo = Pick<RunInfo, 'runId' | 'authored' | 'model' | 'shard'>;

/** A suite run as its results record, and each scenario as it settled (the fault matrix plans from them). */
export interface SuiteRun {
  readonly record: RunRecord;
  readonly kept: readonly Settled[];
  /** The run's signal stopped it: the record holds the scenarios that ran to their end. */
  readonly interrupted: boolean;
}

/**
 * Runs a suite and makes its results record: what `helpdesk eval`, the API and the vitest entry
 * all run. The selected files that could not be loaded are failed scenarios of the record (not
 * when the run was interrupted, which reports only what ran). Gates, a baseline and the fault
 * matrix are the caller's.
 */
export async function evaluateSuite(
  scenarios: readonly LoadedScenario[],
  invalid: readonly InvalidScenarioFile[],
  options: SuiteOptions,
  info: SuiteRunInfo,
): Promise<SuiteRun> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const { run, journal, k, root } = options;
  const kept = await runSuite(scenarios, options);
  const interrupted = run.signal?.aborted === true;
  const records = [
    ...kept.map((x) => x.record),
    ...(interrupted ? [] : invalid.map((bad) => invalidFileRecord(bad, { mode: run.mode, journal, k, root }))),
  ];
  const record = runRecord(
    {
      ...info,
      startedAt,
      durationMs: performance.now() - started,
      mode: modeOf(run.mode),
      trials: options.trials,
      k,
      ...(options.prices ? { priceTable: options.prices.version } : {}),
    },
    records,
  );
  if (interrupted) record.partial = { ran: records.length, selected: scenarios.length };
  return { record, kept, interrupted };
}
