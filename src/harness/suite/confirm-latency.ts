import type { GradeResult } from '../grading/score.ts';
import { type RunOptions } from '../run/execute.ts';
import { runScenario } from './run-scenario.ts';
import { type ScenarioResult } from '../results/scenario-result.ts';
import type { ScenarioTrials } from '../results/scenario-result.ts';

/** Whether a result failed on latency budgets and nothing else: the only failure a quiet re-run may clear. */
export function failedOnLatencyOnly(result: ScenarioResult): boolean {
  return (
    !result.pass &&
    result.error === undefined &&
    result.replay.length === 0 &&
    result.failures.length > 0 &&
    result.failures.every((f) => f.name.startsWith('latency:'))
  );
}

/** The quiet run's checks, each latency check saying what it measured under load as well. */
function merged(loaded: ScenarioResult, quiet: ScenarioResult, concurrency: number): ScenarioResult {
  const underLoad = new Map(loaded.checks.filter((c) => c.name.startsWith('latency:')).map((c) => [c.name, c]));
  const annotate = (check: GradeResult): GradeResult => {
    const before = underLoad.get(check.name);
    if (!before || before.pass) return check;
    const verdict = check.pass ? 'contention of the harness, not a regression' : 'over budget alone too';
    return { ...check, reason: `${check.reason}; re-run alone after ${before.reason} with ${concurrency} at once: ${verdict}` };
  };
  const checks = quiet.checks.map(annotate);
  return { ...quiet, checks, failures: checks.filter((c) => !c.pass), latencyConfirmed: true };
}

/**
 * Confirms latency failures before reporting them. A scenario that failed only on its latency
 * budgets while others ran beside it is run again alone once the suite is done; its verdict is
 * the quiet run's, with both figures in the reason. CPU contention of the harness itself (its
 * own scenarios, their servers, JSON and grading on two cores) then passes, while a real
 * regression — a tool that is slower whatever else runs — fails again. Replay and authoring
 * only: a live re-run is another model call, and live latency includes the model's.
 */
export async function confirmLatency(
  runs: readonly ScenarioTrials[],
  options: RunOptions,
  concurrency: number,
  onConfirm: (id: string, result: ScenarioResult) => void = () => {},
): Promise<ScenarioTrials[]> {
  const confirmed: ScenarioTrials[] = [];
  for (const run of runs) {
    const first = run.results[0];
    if (run.results.length !== 1 || !first || !failedOnLatencyOnly(first)) {
      confirmed.push(run);
      continue;
    }
    const quiet = await runScenario(run.loaded, { ...options, latencyRecheck: true });
    const result = merged(first, quiet, concurrency);
    onConfirm(run.loaded.scenario.id, result);
    confirmed.push({ loaded: run.loaded, results: [result] });
  }
  return confirmed;
}

/** Whether latency-only failures wait for a quiet re-run: in replay and authoring, where the time measured is this machine's alone. */
const confirmsLatency = (run: RunOptions): boolean => run.mode === 'replay' || run.mode === 'author';

/** Whether a scenario's single trial waits for the quiet re-run instead of being settled now. */
export function waitsForQuietRun(run: RunOptions, trials: ScenarioTrials): boolean {
  const [only] = trials.results;
  return confirmsLatency(run) && trials.results.length === 1 && only !== undefined && failedOnLatencyOnly(only);
}

/** The scenarios that waited, each run again alone once the others are done; cassettes are never written by a re-run. */
export function runQuietly(
  waiting: readonly ScenarioTrials[],
  run: RunOptions,
  concurrency: number,
  onConfirm?: (id: string, result: { pass: boolean }) => void,
): Promise<ScenarioTrials[]> {
  return confirmLatency(waiting, { ...run, deferCassette: true }, concurrency, onConfirm);
}
