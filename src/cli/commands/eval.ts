import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../orchestrator/errors.ts';
import { checkApiKey } from '../../orchestrator/openai-model.ts';
import { compareRuns, DEFAULT_THRESHOLDS, loadBaseline } from '../../harness/baseline.ts';
import { cassettePath, readCassette } from '../../harness/cassette.ts';
import { evaluateGates } from '../../harness/gates.ts';
import type { Mode } from '../../harness/grading/run.ts';
import { PoolCache } from '../../harness/pools.ts';
import { annotations } from '../../harness/reporters/github.ts';
import { resilienceTerminal } from '../../harness/reporters/resilience.ts';
import { renderTable } from '../../harness/reporters/table.ts';
import { driftSection, failureDetails, judgeSummary, rebaseSummary, resultsTable, staleSummary, summaryLine, variationsTable } from '../../harness/reporters/terminal.ts';
import { writeReports } from '../../harness/reporters/write.ts';
import { ReplayHub } from '../../harness/replay/replay.ts';
import { runRecord, type RunRecord } from '../../harness/results.ts';
import { collectGarbage, keepHeapSmall } from '../../harness/stream/heap.ts';
import { ResultJournal } from '../../harness/stream/journal.ts';
import type { LiveEndpoint } from '../../harness/model-setup.ts';
import { loadSuite } from '../../harness/suite.ts';
import { displayPath } from '../../harness/reporters/report-format.ts';
import { inShard, parseShard, type Shard } from '../../harness/shard.ts';
import { defaultK } from '../../harness/stats.ts';
import { AdaptiveLimit } from '../../harness/live/adaptive-limit.ts';
import { EXIT } from '../exit-codes.ts';
import { matrixKinds, runMatrix } from './eval-matrix.ts';
import { invalidFileRecord, runSuite, workerCount } from './eval-suite.ts';
import { fraction, wholeNumber } from '../numbers.ts';
import { openProject } from '../project.ts';
import { readSettings, type Settings } from '../settings.ts';

export const EVAL_HELP = `Usage: helpdesk eval [mode] [filters] [options]
       helpdesk eval merge <results.json or report folder>... [--out <dir>] [gates]

Runs the scenario suite (scenarios/*.json, *.yaml) against the real MCP servers and grades each run.

Modes:
  (default)          replay the recorded model responses (recordings/); offline, no key
  --record           call the live model and write the cassettes of the selected scenarios
  --author           write the cassettes from each scenario's "script" (no model, no key)
  --live             call the live model without cassettes
  --rebase           replay the recorded model decisions against today's servers, prompt and
                     tools, and rewrite each cassette whose scenario still passes (offline, no key)
Filters (combine; a scenario must match each given kind):
  --id <id>          a scenario ID (repeatable, or comma-separated); a scenario with variations
                     selects all its cases, <id>.<variation> one of them
  --tag <tag>        scenarios with this tag (repeatable)
  --file <path>      a scenario file (repeatable)
  --shard <i/n>      only the i-th of n stable parts of the suite (split by scenario ID)
Trials and gates:
  --trials <n>       run each scenario n times (live and record mode); reports pass^k and flakiness
  --k <k>            the k of pass^k (default: half the trials, at least 1)
  --min-pass-rate <x>  fail the run when the share of passing trials is below x (0-1)
  --max-flaky <n>    fail the run when more than n scenarios are flaky
  --baseline <ref>   compare with an earlier run: a results.json, a report folder or a run ID
  --fail-on-regression  exit 1 when the comparison finds a regression
Fault matrix (replay or live mode):
  --fault-matrix     after the suite, run each scenario once per (tool it called × fault kind),
                     the fault on that tool's first call, and grade the resilience invariants
  --fault-kinds <k>  only these kinds (comma-separated): crash, hang, slow, garbage,
                     protocol_error, tool_error, oversized, disconnect (default: all)
Judge (expect.judge, live and record mode):
  --judge-model <m>  the judge model (default HELPDESK_JUDGE_MODEL, else the agent's model);
                     HELPDESK_JUDGE_BASE_URL and HELPDESK_JUDGE_API_KEY default to the agent's
Reports:
  --report-dir <dir> where to write results.json, junit.xml, summary.md, report.html
                     (default reports/<run-id>/)
Options:
  --list             list the selected scenarios (ID, tags, cassette, description) without running them
  --concurrency <n>  scenarios run at once (default 4), spread over the worker threads
  --workers <n>      worker threads for replay, rebase and authoring, each with its own servers
                     (default: one per 200 scenarios and per two cores, so 1 on two cores, which
                     runs everything in the main thread); live runs and trials use the main thread
  --config <file>    a project's config (helpdesk init writes one): its mcpServers, system prompt
                     and folders; default helpdesk.config.json in this folder, if there is one
  --scenarios <dir>  scenario folder (default scenarios/ of the project)
  --recordings <dir> cassette folder (default recordings/ of the project)
  -h, --help         show this help

A scenario file that cannot be loaded is a failed scenario of the run, with its problems as the
reason, and the others still run (a warning only when the filters leave it out).
Exit code 0 only when every gate passes (by default: every scenario passes); 1 otherwise; 2 for
bad usage or an invalid scenario file in the run; 130 when interrupted (Ctrl+C writes a partial report of the
scenarios that finished; a second Ctrl+C quits at once).`;

const OPTIONS = {
  record: { type: 'boolean' }, author: { type: 'boolean' }, live: { type: 'boolean' }, rebase: { type: 'boolean' },
  id: { type: 'string', multiple: true }, tag: { type: 'string', multiple: true }, file: { type: 'string', multiple: true },
  shard: { type: 'string' }, trials: { type: 'string' }, k: { type: 'string' },
  'min-pass-rate': { type: 'string' }, 'max-flaky': { type: 'string' }, baseline: { type: 'string' },
  'fail-on-regression': { type: 'boolean' }, 'report-dir': { type: 'string' }, out: { type: 'string' },
  concurrency: { type: 'string' }, scenarios: { type: 'string' }, recordings: { type: 'string' },
  list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'judge-model': { type: 'string' },
  'fault-matrix': { type: 'boolean' }, 'fault-kinds': { type: 'string' }, workers: { type: 'string' }, config: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** A cassette's source for listings: live, authored, missing, or invalid. */
function readCassetteSafely(path: string): string {
  try {
    return readCassette(path)?.source ?? 'missing';
  } catch {
    return 'invalid';
  }
}

function newRunId(mode: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${mode}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Where a run's reports go: --report-dir, else reports/<run-id>/. */
function reportDir(values: Values, reportsDir: string, runId: string): string {
  return values['report-dir'] ? resolve(values['report-dir']) : resolve(reportsDir, runId);
}

/** Prints the table, details and summary; applies gates and the baseline; writes reports. */
async function finish(record: RunRecord, values: Values, env: NodeJS.ProcessEnv, reportsDir: string, root: string, label: string, journal?: ResultJournal): Promise<number> {
  record.gates = evaluateGates(record, {
    minPassRate: fraction(values['min-pass-rate'], '--min-pass-rate'),
    maxFlaky: wholeNumber(values['max-flaky'], '--max-flaky', 0),
  });
  if (values.baseline) {
    let baseline;
    try {
      baseline = loadBaseline(values.baseline, reportsDir);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
    record.baseline = { run_id: baseline.run_id, regressions: compareRuns(record, baseline, DEFAULT_THRESHOLDS) };
  }
  process.stdout.write(`${resultsTable(record)}\n`);
  const variations = variationsTable(record);
  if (variations) process.stdout.write(`\n${variations}\n`);
  const judged = judgeSummary(record);
  if (judged.length > 0) process.stdout.write(`\n${judged.join('\n')}\n`);
  if (record.throttle) {
    const t = record.throttle;
    process.stdout.write(`\nrate limited ${t.rate_limited} time(s): model requests in flight lowered from ${t.max_concurrency} to ${t.lowest_concurrency}, ${t.final_concurrency} at the end\n`);
  }
  if (record.resilience) process.stdout.write(`\n${resilienceTerminal(record.resilience).join('\n')}\n`);
  const details = failureDetails(record);
  if (details.length > 0) process.stdout.write(`\n${details.join('\n')}\n`);
  const drift = driftSection(record);
  if (drift.length > 0) process.stdout.write(`\n${drift.join('\n')}\n`);
  const cassettes = [...rebaseSummary(record), ...staleSummary(record)];
  if (cassettes.length > 0) process.stdout.write(`\n${cassettes.join('\n')}\n`);
  for (const gate of record.gates.filter((g) => !g.pass && g.name !== 'scenarios')) process.stdout.write(`\ngate ${gate.name} failed: ${gate.reason}\n`);
  const regressions = record.baseline?.regressions ?? [];
  if (record.baseline) {
    process.stdout.write(`\nbaseline ${record.baseline.run_id}: ${regressions.length === 0 ? 'no regressions' : `${regressions.length} regression(s)`}\n`);
    for (const r of regressions) process.stdout.write(`  ✗ ${r.scenario} [${r.kind}] ${r.reason}\n`);
  }
  const dir = reportDir(values, reportsDir, record.run_id);
  const written = await writeReports(record, dir, { root, ...(journal ? { journal } : {}) });
  process.stdout.write(`\n${label}: ${summaryLine(record)}\nreports: ${written.map((p) => p.replace(`${process.cwd()}/`, '')).join(', ')}\n`);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, readFileSync(resolve(dir, 'summary.md'), 'utf8'));
  if (env.GITHUB_ACTIONS === 'true') {
    for (const line of annotations(record, { root })) process.stdout.write(`${line}\n`);
  }
  const gatesPass = record.gates.every((g) => g.pass);
  const regressed = values['fail-on-regression'] === true && regressions.length > 0;
  return gatesPass && !regressed ? EXIT.ok : EXIT.modelError;
}

async function mergeCommand(paths: string[], values: Values, env: NodeJS.ProcessEnv, reportsDir: string, root: string): Promise<number> {
  if (paths.length === 0) throw new ConfigError('eval merge needs the results of each shard (results.json files or report folders)');
  const shards = paths.map((p) => {
    try {
      return loadBaseline(p, reportsDir);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  });
  const first = shards[0] as RunRecord;
  for (const other of shards) {
    if (other.mode !== first.mode || other.trials !== first.trials || other.k !== first.k) {
      throw new ConfigError(`cannot merge ${other.run_id} (${other.mode}, ${other.trials} trials, k ${other.k}) with ${first.run_id} (${first.mode}, ${first.trials} trials, k ${first.k})`);
    }
  }
  const seen = new Map<string, string>();
  for (const shard of shards) {
    for (const s of shard.scenarios) {
      const where = seen.get(s.id);
      if (where) throw new ConfigError(`scenario ${s.id} is in both ${where} and ${shard.run_id}; merge each shard once`);
      seen.set(s.id, shard.run_id);
    }
  }
  const started = shards.map((s) => s.started_at).sort()[0] ?? new Date().toISOString();
  const record = runRecord({
    runId: newRunId('merged'), startedAt: started,
    durationMs: Math.max(...shards.map((s) => s.duration_ms)), mode: first.mode, authored: first.authored,
    model: first.model, trials: first.trials, k: first.k, shard: null,
  }, shards.flatMap((s) => s.scenarios));
  return finish(record, { ...values, ...(values.out ? { 'report-dir': values.out } : {}) }, env, reportsDir, root, 'merged');
}

/** The judge's endpoint: its own settings where given, the agent's otherwise. */
function judgeEndpoint(settings: Settings, live: LiveEndpoint, modelFlag: string | undefined): LiveEndpoint {
  const baseURL = settings.judge.baseURL ?? live.baseURL;
  let apiKey = live.apiKey;
  if (settings.judge.apiKey !== undefined) {
    try {
      apiKey = checkApiKey(settings.judge.apiKey, baseURL);
    } catch (error) {
      throw new ConfigError((error as Error).message.replaceAll('OPENAI_API_KEY', 'HELPDESK_JUDGE_API_KEY').replaceAll('OPENAI_BASE_URL', 'HELPDESK_JUDGE_BASE_URL'));
    }
  }
  return { apiKey, baseURL, model: modelFlag ?? settings.judge.model ?? live.model, timeoutMs: live.timeoutMs, maxRetries: live.maxRetries };
}

/** `helpdesk eval`: the project's main job. */
export async function evalCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(`${EVAL_HELP}\n`);
    return EXIT.ok;
  }
  const project = openProject(values.config, env);
  const reportsDir = project.reportsDir;
  if (positionals[0] === 'merge') return mergeCommand(positionals.slice(1), values, env, reportsDir, project.root);
  if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}" (did you mean --id ${positionals[0]}?)`);

  const chosen = [values.record, values.author, values.live, values.rebase].filter(Boolean).length;
  if (chosen > 1) throw new ConfigError('choose one of --record, --author, --live and --rebase');
  const mode: Mode = values.live ? 'live' : values.record || values.author ? 'record' : 'replay';
  const concurrency = wholeNumber(values.concurrency, '--concurrency', 1) ?? 4;
  const trials = wholeNumber(values.trials, '--trials', 1) ?? 1;
  if (trials > 1 && mode === 'replay') throw new ConfigError('--trials needs --live or --record: a replay gives the same answer every time');
  if (trials > 1 && values.author) throw new ConfigError('--trials cannot be combined with --author: a script gives the same answer every time');
  const kinds = matrixKinds(values['fault-matrix'] === true, values['fault-kinds'], { mode, trials, rebase: values.rebase === true });
  const k = wholeNumber(values.k, '--k', 1) ?? defaultK(trials);
  if (k > trials) throw new ConfigError(`--k (${k}) cannot exceed --trials (${trials})`);
  let shard: Shard | undefined;
  if (values.shard) {
    try {
      shard = parseShard(values.shard);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }

  const scenariosDir = values.scenarios ? resolve(values.scenarios) : project.scenariosDir;
  const recordingsDir = values.recordings ? resolve(values.recordings) : project.recordingsDir;
  if (!existsSync(scenariosDir)) throw new ConfigError(`scenario folder ${scenariosDir} does not exist`);
  keepHeapSmall();
  const suite = loadSuite(scenariosDir, { ids: list(values.id), tags: list(values.tag), files: list(values.file) }, process.cwd());
  for (const bad of suite.skipped) process.stderr.write(`warning: skipped ${displayPath(bad.file, process.cwd())}, which is not a valid scenario file: ${bad.problems.join('; ')}\n`);
  let scenarios = suite.scenarios;
  collectGarbage();
  // An invalid file the run selects is one failed scenario of it, reported with its problems.
  let invalid = suite.invalid;
  if (shard) {
    scenarios = scenarios.filter((s) => inShard(s.scenario.id, shard));
    invalid = invalid.filter((bad) => inShard(bad.id, shard));
  }
  if (scenarios.length === 0 && invalid.length === 0 && !shard) throw new ConfigError('no scenario matches the filters');
  if (values.list) {
    const rows = scenarios.map(({ scenario }) => {
      const cassette = readCassetteSafely(cassettePath(recordingsDir, scenario.id));
      return [scenario.id, scenario.tags.join(', '), cassette, scenario.description];
    });
    for (const bad of invalid) rows.push([bad.id, '', '-', `INVALID FILE: ${bad.problems.join('\n')}`]);
    process.stdout.write(`${renderTable(['scenario', 'tags', 'cassette', 'description'], rows, [32, 22, 10, 60])}\n${scenarios.length} scenarios${invalid.length ? `, ${invalid.length} invalid file(s)` : ''}\n`);
    return EXIT.ok;
  }

  const settings = readSettings(env);
  let live: LiveEndpoint | undefined;
  // Live model requests in flight adapt to the endpoint's rate limit (429s lower it, answers raise it).
  let adaptive: AdaptiveLimit | undefined;
  if (mode !== 'replay' && !values.author) {
    adaptive = new AdaptiveLimit(concurrency);
    live = {
      apiKey: checkApiKey(settings.apiKey, settings.baseURL), baseURL: settings.baseURL, model: settings.model,
      timeoutMs: settings.modelTimeoutMs, maxRetries: settings.modelRetries, fetch: adaptive.wrap(globalThis.fetch),
    };
  }
  const judge = live && scenarios.some((s) => s.scenario.expect.judge?.length) ? judgeEndpoint(settings, live, values['judge-model']) : undefined;
  const pools = new PoolCache(project.root, settings.serverEnv, env, project.servers);
  const hub = mode === 'replay' ? new ReplayHub() : undefined;
  hub?.open();
  const label = values.author ? 'author' : values.rebase ? 'rebase' : mode;
  const runId = newRunId(label);
  const journal = new ResultJournal(join(reportDir(values, reportsDir, runId), 'results.jsonl'));
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  // Ctrl+C: stop starting scenarios, cancel the ones in flight, write what finished as a partial
  // report; a second Ctrl+C quits at once (the exit hook still stops every server).
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\ninterrupted: cancelling the scenarios in flight and writing a partial report (Ctrl+C again to quit at once)\n');
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const runOptions = { signal: interrupt.signal, mode, recordingsDir, pools, ...(project.promptTemplate !== undefined ? { promptTemplate: project.promptTemplate } : {}), ...(hub ? { hub } : {}), ...(live ? { live } : {}), ...(judge ? { judge } : {}), ...(values.author ? { author: true } : {}), ...(values.rebase ? { rebase: true } : {}) };
    const kept = await runSuite(scenarios, {
      run: runOptions, journal, root: project.root, cwd: process.cwd(), serverEnv: settings.serverEnv, headerEnv: env, servers: project.servers, trials, k, concurrency,
      workers: workerCount(wholeNumber(values.workers, '--workers', 1), { live: live !== undefined, trials, scenarios: scenarios.length }),
      matrix: kinds !== undefined && kinds !== null,
      onResult: (id, pass, durationMs, trial, done, total) => {
        const line = `[${done}/${total}] ${pass ? 'pass' : 'FAIL'} ${id}${trials > 1 ? ` trial ${trial}` : ''} (${(durationMs / 1000).toFixed(2)} s)`;
        process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      },
      onConfirm: (id, pass) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}latency re-checked alone: ${pass ? 'pass' : 'FAIL'} ${id}\n`),
    });
    if (tty) process.stderr.write('\n');
    const interrupted = interrupt.signal.aborted;
    const records = [...kept.map((x) => x.record), ...(interrupted ? [] : invalid.map((bad) => invalidFileRecord(bad, { mode, journal, k, root: project.root })))];
    const options = { mode, recordingsDir, pools, ...(project.promptTemplate !== undefined ? { promptTemplate: project.promptTemplate } : {}), ...(hub ? { hub } : {}), ...(live ? { live } : {}) };
    const resilience = kinds && !interrupted ? await runMatrix(kept.flatMap((x) => (x.matrix ? [x.matrix] : [])), options, kinds, concurrency, tty) : null;
    const record = runRecord({
      runId, startedAt, durationMs: performance.now() - started, mode, authored: values.author === true,
      model: mode === 'replay' ? null : (live?.model ?? null), trials, k, shard: shard ?? null,
    }, records);
    record.resilience = resilience;
    if (interrupted) record.partial = { ran: records.length, selected: scenarios.length };
    if (adaptive && adaptive.summary().rate_limited > 0) record.throttle = adaptive.summary();
    collectGarbage();
    const code = await finish(record, values, env, reportsDir, project.root, label, journal);
    // An invalid scenario file is an error in the suite, not the agent's failure: exit 2 once the rest has run and been reported.
    if (interrupted) return EXIT.interrupted;
    return invalid.length > 0 ? EXIT.usage : code;
  } finally {
    journal.close();
    process.off('SIGINT', onSigint);
    hub?.close();
    await pools.close();
  }
}

