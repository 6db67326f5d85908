import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, StorageError } from '../../orchestrator/errors.ts';
import { checkApiKey } from '../../orchestrator/openai-model.ts';
import { compareRuns, DEFAULT_THRESHOLDS, loadBaseline } from '../../harness/results/baseline.ts';
import { evaluateGates, runPassed, type GateOptions } from '../../harness/results/gates.ts';
import { runOptions } from '../../harness/run/execute.ts';
import { asksModel, servesCassettes, writesCassettes, type RunMode } from '../../harness/run/scenario-run.ts';
import { PoolCache } from '../../harness/run/pools.ts';
import { annotations } from '../../harness/reporters/github.ts';
import { resilienceTerminal } from '../../harness/reporters/resilience.ts';
import {
  driftSection,
  failedScenarioLines,
  judgeSummary,
  rebaseSummary,
  resultsTable,
  staleSummary,
  summaryLine,
  variationsTable,
} from '../../harness/reporters/terminal.ts';
import { ReportWriteError, writeReports } from '../../harness/reporters/write.ts';
import { ReplayHub } from '../../harness/cassettes/replay-hub.ts';
import type { RunRecord } from '../../harness/results/records.ts';
import { collectGarbage } from '../../harness/suite/heap.ts';
import type { ResultJournal } from '../../harness/results/journal.ts';
import { checkWritable, openRunJournal } from '../../harness/results/report-folder.ts';
import type { LiveEndpoint } from '../../harness/run/model-setup.ts';
import { loadSuite, type InvalidScenarioFile, type ScenarioFilter } from '../../harness/scenario/load-suite.ts';
import type { LoadedScenario } from '../../harness/scenario/scenario.ts';
import { displayPath } from '../../harness/results/records.ts';
import { inShard, parseShard, type Shard } from '../../harness/scenario/shard.ts';
import { defaultK } from '../../harness/results/stats.ts';
import { AdaptiveLimit } from '../../harness/run/adaptive-limit.ts';
import { EXIT } from '../exit-codes.ts';
import { Interrupts } from '../interrupts.ts';
import { matrixKinds } from './eval-matrix.ts';
import { matrixBaselines, runFaultMatrix, type MatrixCell } from '../../harness/resilience/matrix.ts';
import { evaluateSuite, newRunId, workerCount } from '../../harness/suite/run-suite.ts';
import { fraction, wholeNumber } from '../numbers.ts';
import { openProject, type Project } from '../../harness/suite/project.ts';
import { readSettings, type Settings } from '../settings.ts';
import { comparedModels, type ComparedModel } from './eval-models.ts';
import { startTracing, type TraceSpan } from '../../shared/tracing.ts';

export const OPTIONS = {
  record: { type: 'boolean' },
  author: { type: 'boolean' },
  live: { type: 'boolean' },
  rebase: { type: 'boolean' },
  id: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  file: { type: 'string', multiple: true },
  shard: { type: 'string' },
  trials: { type: 'string' },
  k: { type: 'string' },
  'min-pass-rate': { type: 'string' },
  'max-flaky': { type: 'string' },
  baseline: { type: 'string' },
  'fail-on-regression': { type: 'boolean' },
  'report-dir': { type: 'string' },
  out: { type: 'string' },
  concurrency: { type: 'string' },
  scenarios: { type: 'string' },
  recordings: { type: 'string' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'judge-model': { type: 'string' },
  model: { type: 'string', multiple: true },
  api: { type: 'string' },
  'fault-matrix': { type: 'boolean' },
  'fault-kinds': { type: 'string' },
  workers: { type: 'string' },
  config: { type: 'string' },
  watch: { type: 'boolean' },
  'watch-child': { type: 'boolean' },
} as const;

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export function list(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A failed write in one line: its code (ENOSPC, EROFS, …) and what the system said. */
function describeFailure(error: Error): string {
  return (error as NodeJS.ErrnoException).code
    ? `${(error as NodeJS.ErrnoException).code}: ${error.message.replace(/^[A-Z]+: /, '')}`
    : error.message;
}

/** Where a run's reports go: --report-dir, else reports/<run-id>/. */
function reportDir(values: Values, reportsDir: string, runId: string): string {
  return values['report-dir'] ? resolve(values['report-dir']) : resolve(reportsDir, runId);
}

/** What a run's end is judged by, read from the flags before anything runs: a bad value is refused then, not after. */
export interface Verdict {
  readonly gates: GateOptions;
  /** --baseline, read and checked. */
  readonly baseline: RunRecord | undefined;
}

/** Reads --min-pass-rate, --max-flaky and --baseline; any that is wrong is a ConfigError naming it. */
export function verdictOf(values: Values, reportsDir: string): Verdict {
  const gates = {
    minPassRate: fraction(values['min-pass-rate'], '--min-pass-rate'),
    maxFlaky: wholeNumber(values['max-flaky'], '--max-flaky', 0),
  };
  if (!values.baseline) return { gates, baseline: undefined };
  return { gates, baseline: loadBaseline(values.baseline, reportsDir, '--baseline') };
}

/** Prints the table, details and summary; applies gates and the baseline; writes reports. */
export async function finish(
  record: RunRecord,
  values: Values,
  verdict: Verdict,
  env: NodeJS.ProcessEnv,
  reportsDir: string,
  root: string,
  label: string,
  journal?: ResultJournal,
  brief = false,
): Promise<number> {
  record.gates = evaluateGates(record, verdict.gates);
  if (verdict.baseline)
    record.baseline = { run_id: verdict.baseline.run_id, regressions: compareRuns(record, verdict.baseline, DEFAULT_THRESHOLDS) };
  // A model of a comparison leaves its full table to its report; the comparison's table follows.
  if (!brief) {
    process.stdout.write(`${resultsTable(record)}\n`);
    const variations = variationsTable(record);
    if (variations) process.stdout.write(`\n${variations}\n`);
  }
  const judged = judgeSummary(record);
  if (judged.length > 0) process.stdout.write(`\n${judged.join('\n')}\n`);
  if (record.throttle) {
    const t = record.throttle;
    process.stdout.write(
      `\nrate limited ${t.rate_limited} time(s): model requests in flight lowered from ${t.max_concurrency} to ${t.lowest_concurrency}, ${t.final_concurrency} at the end\n`,
    );
  }
  if (record.resilience) process.stdout.write(`\n${resilienceTerminal(record.resilience).join('\n')}\n`);
  const details = failedScenarioLines(record);
  if (details.length > 0) process.stdout.write(`\n${details.join('\n')}\n`);
  const drift = driftSection(record);
  if (drift.length > 0) process.stdout.write(`\n${drift.join('\n')}\n`);
  const cassettes = [...rebaseSummary(record), ...staleSummary(record)];
  if (cassettes.length > 0) process.stdout.write(`\n${cassettes.join('\n')}\n`);
  for (const gate of record.gates.filter((g) => !g.pass && g.name !== 'scenarios'))
    process.stdout.write(`\ngate ${gate.name} failed: ${gate.reason}\n`);
  // With --min-pass-rate deciding, the scenarios below their own gate do not fail the run: say so.
  if (record.totals.failed > 0)
    for (const gate of record.gates.filter((g) => g.informational)) process.stdout.write(`\ngate ${gate.name}: ${gate.reason}\n`);
  const regressions = record.baseline?.regressions ?? [];
  if (record.baseline) {
    process.stdout.write(
      `\nbaseline ${record.baseline.run_id}: ${regressions.length === 0 ? 'no regressions' : `${regressions.length} regression(s)`}\n`,
    );
    for (const r of regressions) process.stdout.write(`  ✗ ${r.scenario} [${r.kind}] ${r.reason}\n`);
  }
  const dir = reportDir(values, reportsDir, record.run_id);
  if (journal?.failure)
    process.stderr.write(
      `warning: could not write ${journal.path} (${describeFailure(journal.failure)}): the results were kept in memory\n`,
    );
  let written: readonly string[];
  try {
    written = await writeReports(record, dir, { root, ...(journal ? { journal } : {}), traceUrl: env.HELPDESK_TRACE_URL || undefined });
  } catch (error) {
    if (!(error instanceof ReportWriteError)) throw error;
    process.stdout.write(`\n${label}: ${summaryLine(record)}\n`);
    const kept = error.written.map((p) => p.replace(`${process.cwd()}/`, ''));
    throw new StorageError(
      dir,
      `${error.message}; ${kept.length > 0 ? `written whole: ${kept.join(', ')}` : 'no report file was written'}; the results are in the table above`,
      { cause: error },
    );
  }
  process.stdout.write(
    `\n${label}: ${summaryLine(record)}\nreports: ${written.map((p) => p.replace(`${process.cwd()}/`, '')).join(', ')}\n`,
  );
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, readFileSync(resolve(dir, 'summary.md'), 'utf8'));
  if (env.GITHUB_ACTIONS === 'true') {
    for (const line of annotations(record, { root })) process.stdout.write(`${line}\n`);
  }
  const gatesPass = runPassed(record);
  const regressed = values['fail-on-regression'] === true && regressions.length > 0;
  return gatesPass && !regressed ? EXIT.ok : EXIT.modelError;
}

/** The judge's endpoint: its own settings where given, the agent's otherwise. */
function judgeEndpoint(settings: Settings, live: LiveEndpoint, modelFlag: string | undefined): LiveEndpoint {
  const baseURL = settings.judge.baseURL ?? live.baseURL;
  let apiKey = live.apiKey;
  if (settings.judge.apiKey !== undefined) {
    apiKey = checkApiKey(settings.judge.apiKey, baseURL, { key: 'HELPDESK_JUDGE_API_KEY', baseURL: 'HELPDESK_JUDGE_BASE_URL' });
  }
  return {
    apiKey,
    baseURL,
    model: modelFlag ?? settings.judge.model ?? live.model,
    timeoutMs: live.timeoutMs,
    maxRetries: live.maxRetries,
  };
}

/** Ctrl+C during an eval pass: the first cancels it (a partial report follows), the next or a SIGTERM calls `onQuit`. */
export function evalInterrupts(onQuit: () => void): Interrupts {
  return new Interrupts(onQuit, () =>
    process.stderr.write('\ninterrupted: cancelling the scenarios in flight and writing a partial report (Ctrl+C again to quit at once)\n'),
  );
}

/** How a pass reports: a model of a comparison prints its summary only and hands its record on. */
export interface PassOptions {
  readonly brief?: boolean;
  /** What its summary line starts with (default: the mode). */
  readonly label?: string;
  readonly onRecord?: (record: RunRecord) => void;
  /** A comparison's span: this model's run goes under it instead of being a trace of its own. */
  readonly trace?: TraceSpan | undefined;
}

/** The choices of a run that hold for each of its passes (one, or one per change under --watch). */
export interface EvalPlan {
  readonly values: Values;
  readonly env: NodeJS.ProcessEnv;
  readonly project: Project;
  readonly mode: RunMode;
  readonly concurrency: number;
  readonly trials: number;
  readonly k: number;
  readonly kinds: ReturnType<typeof matrixKinds>;
  readonly shard: Shard | undefined;
  readonly scenariosDir: string;
  readonly recordingsDir: string;
  readonly filter: ScenarioFilter;
  /** The gates and baseline the run's end is judged by. */
  readonly verdict: Verdict;
  /** --workers, when given. */
  readonly workers: number | undefined;
  /** Several models compared (config `models`, or --model given twice or more); undefined for a run of one model. */
  readonly models: readonly ComparedModel[] | undefined;
}

/** What a run keeps open across its passes: the settings, the live endpoint, the servers and the replay hub. */
export interface EvalResources {
  readonly plan: EvalPlan;
  readonly settings: Settings;
  readonly live: LiveEndpoint | undefined;
  readonly adaptive: AdaptiveLimit | undefined;
  pools: PoolCache;
  readonly hub: ReplayHub | undefined;
  /** A comparison's judge endpoint, the same for every model (its first model's); else the run's own. */
  readonly judgeFrom?: LiveEndpoint | undefined;
}

/** Checks the flags of a run and settles its mode, trials, filters and folders. */
export function planEval(values: Values, env: NodeJS.ProcessEnv, project: Project = openProject(values.config, env)): EvalPlan {
  const chosen = [values.record, values.author, values.live, values.rebase].filter(Boolean).length;
  if (chosen > 1) throw new ConfigError('choose one of --record, --author, --live and --rebase');
  const mode: RunMode = values.live ? 'live' : values.author ? 'author' : values.record ? 'record' : values.rebase ? 'rebase' : 'replay';
  const concurrency = wholeNumber(values.concurrency, '--concurrency', 1) ?? 4;
  const trials = wholeNumber(values.trials, '--trials', 1) ?? 1;
  if (trials > 1 && servesCassettes(mode))
    throw new ConfigError('--trials needs --live or --record: a replay gives the same answer every time');
  const models = comparedModels(list(values.model), project.models);
  if (models !== undefined) {
    if (values.watch || values['watch-child']) throw new ConfigError('--watch runs one model; choose one with --model (or none)');
    if (values.baseline) {
      throw new ConfigError(
        "--baseline compares one model's run with an earlier one; in a comparison each model's report folder is such a run",
      );
    }
  } else if (values.model !== undefined && !asksModel(mode)) {
    throw new ConfigError(
      '--model chooses the model of --live and --record runs; replay, --rebase and --author use the model each cassette or script names',
    );
  }
  if (trials > 1 && mode === 'author')
    throw new ConfigError('--trials cannot be combined with --author: a script gives the same answer every time');
  const kinds = matrixKinds(values['fault-matrix'] === true, values['fault-kinds'], { mode, trials });
  const k = wholeNumber(values.k, '--k', 1) ?? defaultK(trials);
  if (k > trials) throw new ConfigError(`--k (${k}) cannot exceed --trials (${trials})`);
  let shard: Shard | undefined;
  if (values.shard) {
    shard = parseShard(values.shard);
  }
  const scenariosDir = values.scenarios ? resolve(values.scenarios) : project.scenariosDir;
  const recordingsDir = values.recordings ? resolve(values.recordings) : project.recordingsDir;
  if (!existsSync(scenariosDir)) throw new ConfigError(`scenario folder ${scenariosDir} does not exist`);
  // Everything the run's end needs is checked now: a bad flag or a folder that cannot be written
  // must not cost a run (and, live, its model requests) before it is refused.
  const verdict = verdictOf(values, project.reportsDir);
  const workers = wholeNumber(values.workers, '--workers', 1);
  if (!values.list) {
    checkWritable(values['report-dir'] ? resolve(values['report-dir']) : project.reportsDir, 'reports folder');
    if (writesCassettes(mode)) checkWritable(recordingsDir, 'recordings folder');
  }
  return {
    values,
    env,
    project,
    mode,
    concurrency,
    trials,
    k,
    kinds,
    shard,
    scenariosDir,
    recordingsDir,
    verdict,
    workers,
    models,
    filter: { ids: list(values.id), tags: list(values.tag), files: list(values.file) },
  };
}

/** The scenarios a pass runs and the selected files that could not be loaded (skipped ones are warned about). */
export function selectScenarios(plan: EvalPlan): { scenarios: LoadedScenario[]; invalid: InvalidScenarioFile[] } {
  const suite = loadSuite(plan.scenariosDir, plan.filter, process.cwd());
  for (const bad of suite.skipped)
    process.stderr.write(
      `warning: skipped ${displayPath(bad.file, process.cwd())}, which is not a valid scenario file: ${bad.problems.join('; ')}\n`,
    );
  const { shard } = plan;
  if (!shard) return { scenarios: suite.scenarios, invalid: suite.invalid };
  return {
    scenarios: suite.scenarios.filter((s) => inShard(s.scenario.id, shard)),
    invalid: suite.invalid.filter((bad) => inShard(bad.id, shard)),
  };
}

/**
 * The settings, the live endpoint (live and record mode), fresh server pools and (replay) the hub;
 * `model` is one model of a comparison, with its own endpoint where its entry names one; `shared`
 * are another model's servers and replay hub, used instead of new ones.
 */
export function openResources(plan: EvalPlan, model?: ComparedModel, shared?: Pick<EvalResources, 'pools' | 'hub'>): EvalResources {
  const settings = readSettings(
    plan.env,
    undefined,
    model?.name ?? plan.values.model?.[0],
    model?.api ?? plan.values.api,
    plan.project.api,
  );
  let live: LiveEndpoint | undefined;
  // Live model requests in flight adapt to the endpoint's rate limit (429s lower it, answers raise it).
  let adaptive: AdaptiveLimit | undefined;
  if (asksModel(plan.mode)) {
    adaptive = new AdaptiveLimit(plan.concurrency);
    const baseURL = model?.baseURL ?? settings.baseURL;
    const keyName = model?.apiKeyEnv ?? 'OPENAI_API_KEY';
    live = {
      apiKey: checkApiKey(model?.apiKeyEnv ? plan.env[model.apiKeyEnv] : settings.apiKey, baseURL, {
        key: keyName,
        baseURL: model?.baseURL ? `the baseURL of model ${model.label}` : 'OPENAI_BASE_URL',
      }),
      baseURL,
      model: settings.model,
      api: settings.api,
      timeoutMs: settings.modelTimeoutMs,
      maxRetries: settings.modelRetries,
      fetch: adaptive.wrap(globalThis.fetch),
    };
  }
  if (shared) return { plan, settings, live, adaptive, pools: shared.pools, hub: shared.hub };
  const hub = servesCassettes(plan.mode) ? new ReplayHub() : undefined;
  hub?.open();
  return { plan, settings, live, adaptive, pools: newPools(plan, settings), hub };
}

/** Server pools of the plan's project. */
export function newPools(plan: EvalPlan, settings: Settings): PoolCache {
  return new PoolCache(plan.project.root, settings.serverEnv, plan.env, plan.project.servers);
}

export async function closeResources(resources: EvalResources): Promise<void> {
  resources.hub?.close();
  await resources.pools.close();
}

/**
 * Runs the given scenarios once: progress on stderr, the tables, gates and reports (into
 * `reportDirFlag`, else --report-dir, else reports/<run-id>/). Ctrl+C cancels the scenarios in
 * flight and writes a partial report. Returns the exit code.
 */
export async function runPass(
  resources: EvalResources,
  scenarios: readonly LoadedScenario[],
  invalid: readonly InvalidScenarioFile[],
  interrupts?: Interrupts,
  pass: PassOptions = {},
): Promise<number> {
  const { plan, pools, hub, live, adaptive, settings } = resources;
  const { values, env, project, mode, trials, k, kinds, concurrency, recordingsDir } = plan;
  const reportsDir = project.reportsDir;
  const judge =
    live && scenarios.some((s) => s.scenario.expect.judge?.length)
      ? judgeEndpoint(settings, resources.judgeFrom ?? live, values['judge-model'])
      : undefined;
  const runId = newRunId(mode);
  // Traced (OTEL_EXPORTER_OTLP_ENDPOINT set): the run is one trace, a span per scenario and trial beneath it.
  const runAttributes = {
    'helpdesk.run.id': runId,
    'helpdesk.run.mode': mode,
    'gen_ai.request.model': live?.model,
    'helpdesk.scenarios': scenarios.length,
    'helpdesk.trials': trials,
  };
  const trace = pass.trace
    ? pass.trace.child(`eval ${pass.label ?? mode}`, { attributes: runAttributes })
    : (await startTracing(env))?.root(`helpdesk eval ${mode}`, { attributes: runAttributes });
  const opened = openRunJournal(reportDir(values, reportsDir, runId));
  const { journal } = opened;
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  // Ctrl+C: stop starting scenarios, cancel the ones in flight, write what finished as a partial
  // report; a second Ctrl+C or a SIGTERM quits at once (the exit hook still stops every server).
  // Under --watch the watching process's interrupts are used, which stop it instead.
  const own = interrupts ? undefined : evalInterrupts(() => process.exit(EXIT.interrupted));
  const signal = (interrupts ?? (own as Interrupts)).begin();
  try {
    const runSettings = {
      mode,
      recordingsDir,
      promptTemplate: project.promptTemplate,
      modelSettings: project.modelSettings,
      api: settings.api,
    };
    const { record, kept, interrupted } = await evaluateSuite(
      scenarios,
      invalid,
      {
        run: runOptions(runSettings, { pools, hub, live, judge, signal, trace }),
        journal,
        root: project.root,
        cwd: process.cwd(),
        serverEnv: settings.serverEnv,
        headerEnv: env,
        servers: project.servers,
        prices: project.prices,
        trials,
        k,
        concurrency,
        workers: workerCount(plan.workers, { live: live !== undefined, trials, scenarios: scenarios.length }),
        matrix: kinds !== undefined && kinds !== null,
        onResult: (id, pass, durationMs, trial, done, total) => {
          const line = `[${done}/${total}] ${pass ? 'pass' : 'FAIL'} ${id}${trials > 1 ? ` trial ${trial}` : ''} (${(durationMs / 1000).toFixed(2)} s)`;
          process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
        },
        onConfirm: (id, pass) =>
          process.stderr.write(`${tty ? '\r\x1b[2K' : ''}latency re-checked alone: ${pass ? 'pass' : 'FAIL'} ${id}\n`),
      },
      { runId, authored: mode === 'author', model: servesCassettes(mode) ? null : (live?.model ?? null), shard: plan.shard ?? null },
    );
    if (tty) process.stderr.write('\n');
    if (kinds && !interrupted) {
      const onCell = (cell: MatrixCell, done: number, total: number) => {
        const line = `[fault ${done}/${total}] ${cell.pass ? 'pass' : 'FAIL'} ${cell.scenario} × ${cell.tool} × ${cell.kind} (${(cell.duration_ms / 1000).toFixed(2)} s)`;
        process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      };
      const baselines = matrixBaselines(kept.flatMap((x) => (x.matrix ? [x.matrix] : [])));
      record.resilience = await runFaultMatrix(baselines, runOptions(runSettings, { pools, hub, live }), { concurrency, kinds, onCell });
      if (tty) process.stderr.write('\n');
    } else {
      record.resilience = null;
    }
    record.duration_ms = performance.now() - started;
    if (adaptive && adaptive.summary().rate_limited > 0) record.throttle = adaptive.summary();
    collectGarbage();
    const code = await finish(record, values, plan.verdict, env, reportsDir, project.root, pass.label ?? mode, journal, pass.brief);
    pass.onRecord?.(record);
    trace?.set({ 'helpdesk.run.passed': record.totals.passed, 'helpdesk.run.failed': record.totals.failed });
    if (interrupted) trace?.fail('aborted', 'interrupted');
    else if (code !== EXIT.ok)
      trace?.fail(
        'gates_failed',
        record.gates
          .filter((g) => !g.pass)
          .map((g) => g.reason)
          .join('; ') || 'the run failed',
      );
    // An invalid scenario file is an error in the suite, not the agent's failure: exit 2 once the rest has run and been reported.
    if (interrupted) return EXIT.interrupted;
    return invalid.length > 0 ? EXIT.usage : code;
  } finally {
    trace?.end();
    opened.close();
    (interrupts ?? own)?.end();
    own?.dispose();
  }
}
