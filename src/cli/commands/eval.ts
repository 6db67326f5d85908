import { parseArgs } from 'node:util';
import { ConfigError } from '../../orchestrator/errors.ts';
import { loadBaseline } from '../../harness/results/baseline.ts';
import { cassettePath, readCassette } from '../../harness/cassettes/cassette.ts';
import { renderTable } from '../../harness/reporters/table.ts';
import { runRecord, type RunRecord } from '../../harness/results/records.ts';
import { collectGarbage, keepHeapSmall } from '../../harness/suite/heap.ts';
import { EXIT } from '../exit-codes.ts';
import { openProject } from '../../harness/suite/project.ts';
import { newRunId } from '../../harness/suite/run-suite.ts';
import { closeResources, finish, openResources, verdictOf, OPTIONS, planEval, runPass, selectScenarios, type Values } from './eval-run.ts';
import { watchEval } from './eval-watch.ts';
import { modelRecordings } from './eval-models.ts';

export const EVAL_HELP = `Usage: helpdesk eval [mode] [filters] [options]
       helpdesk eval merge <results.json or report folder>... [--out <dir>] [gates]

Runs the scenario suite (scenarios/*.json, *.yaml) against the real MCP servers and grades each run.

Modes:
  (default)          replay the recorded model responses (recordings/); offline, no key
  --record           call the live model and write the cassettes of the selected scenarios
  --author           write the cassettes from each scenario's "script" (no model, no key)
  --live             call the live model without cassettes
  --model <name>     the model of --live and --record (default OPENAI_MODEL, else gpt-4o-mini);
                     given twice or more, a comparison (below)
  --api <chat|responses>  how the model is reached in --live, --record and --author: chat
                     completions or the Responses API (default HELPDESK_MODEL_API, else the
                     config's "api", else chat); replay uses what each cassette was recorded with
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
  --min-pass-rate <x>  the run passes when at least this share of trials passes (0-1): given, it
                     decides instead of "every scenario passes", whose gate is then reported
                     for information only; --max-flaky and the other gates still apply
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
Models side by side (a "models" list in the config, or --model given twice or more):
  every selected scenario runs on each model in turn (any mode), each model's cassettes in
  recordings/<model>/ and its reports in <report folder>/<model>/; the terminal, comparison.json,
  comparison.md and comparison.html put pass rate, pass^k, p95 latency and cost per model side
  by side and name the scenarios whose verdicts differ. Replay replays each model's cassettes.
  With a "models" list, --model picks some of them. The judge is the first model's unless
  HELPDESK_JUDGE_* say otherwise. Exit 1 when any model's run fails its gates.
Reports:
  --report-dir <dir> where to write results.json, junit.xml, summary.md, report.html
                     (default reports/<run-id>/)
Watch:
  --watch            replay the selection, then again after each change: a scenario file runs
                     itself, a cassette its scenario; the config, the prompt or a server's files
                     run everything on fresh servers; helpdesk's own code starts a new process.
                     Reports go to reports/watch/ (rewritten each time). Ctrl+C stops.
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
Exit code 0 only when every gate passes (by default every scenario must pass; with --min-pass-rate
the pass rate decides instead); 1 otherwise; 2 for bad usage or an invalid scenario file in the run;
130 when interrupted (Ctrl+C writes a partial report of the scenarios that finished; a second Ctrl+C
quits at once).`;

/** A cassette's source for listings: live, authored, missing, or invalid. */
function readCassetteSafely(path: string): string {
  try {
    return readCassette(path)?.source ?? 'missing';
  } catch {
    return 'invalid';
  }
}

async function mergeCommand(paths: string[], values: Values, env: NodeJS.ProcessEnv, reportsDir: string, root: string): Promise<number> {
  if (paths.length === 0) throw new ConfigError('eval merge needs the results of each shard (results.json files or report folders)');
  const verdict = verdictOf(values, reportsDir);
  const shards = paths.map((p) => loadBaseline(p, reportsDir));
  const first = shards[0] as RunRecord;
  for (const other of shards) {
    if (other.mode !== first.mode || other.trials !== first.trials || other.k !== first.k) {
      throw new ConfigError(
        `cannot merge ${other.run_id} (${other.mode}, ${other.trials} trials, k ${other.k}) with ${first.run_id} (${first.mode}, ${first.trials} trials, k ${first.k})`,
      );
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
  const record = runRecord(
    {
      runId: newRunId('merged'),
      startedAt: started,
      durationMs: Math.max(...shards.map((s) => s.duration_ms)),
      mode: first.mode,
      authored: first.authored,
      model: first.model,
      trials: first.trials,
      k: first.k,
      shard: null,
    },
    shards.flatMap((s) => s.scenarios),
  );
  return finish(record, { ...values, ...(values.out ? { 'report-dir': values.out } : {}) }, verdict, env, reportsDir, root, 'merged');
}

/** `helpdesk eval`: the project's main job. */
export async function evalCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(`${EVAL_HELP}\n`);
    return EXIT.ok;
  }
  const project = openProject(values.config, env);
  if (positionals[0] === 'merge') return mergeCommand(positionals.slice(1), values, env, project.reportsDir, project.root);
  if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}" (did you mean --id ${positionals[0]}?)`);
  const plan = planEval(values, env, project);
  if (values.watch || values['watch-child']) return watchEval(argv, plan);
  keepHeapSmall();
  const { scenarios, invalid } = selectScenarios(plan);
  collectGarbage();
  if (scenarios.length === 0 && invalid.length === 0 && !plan.shard) throw new ConfigError('no scenario matches the filters');
  if (values.list) {
    // In a comparison each model has its cassettes in its own folder: the column says each one's.
    const cassetteOf = (id: string) =>
      plan.models
        ? plan.models.map((m) => `${m.label}: ${readCassetteSafely(cassettePath(modelRecordings(plan.recordingsDir, m), id))}`).join('\n')
        : readCassetteSafely(cassettePath(plan.recordingsDir, id));
    const rows = scenarios.map(({ scenario }) => [scenario.id, scenario.tags.join(', '), cassetteOf(scenario.id), scenario.description]);
    for (const bad of invalid) rows.push([bad.id, '', '-', `INVALID FILE: ${bad.problems.join('\n')}`]);
    process.stdout.write(
      `${renderTable(['scenario', 'tags', 'cassette', 'description'], rows, [32, 22, plan.models ? 28 : 10, 60])}\n${scenarios.length} scenarios${invalid.length ? `, ${invalid.length} invalid file(s)` : ''}\n`,
    );
    return EXIT.ok;
  }
  // A comparison's code (and its record's schema) is loaded only by a run that compares models.
  if (plan.models) return (await import('./eval-compare.ts')).runComparison(plan, plan.models, scenarios, invalid);
  const resources = openResources(plan);
  try {
    return await runPass(resources, scenarios, invalid);
  } finally {
    await closeResources(resources);
  }
}
