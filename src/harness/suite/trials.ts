import { cassettePath, writeCassette } from '../cassettes/cassette.ts';
import { mapLimited } from '../run/concurrency.ts';
import { modeOf } from '../run/scenario-run.ts';
import type { RunOptions } from '../run/execute.ts';
import { runScenario } from './run-scenario.ts';
import { crashed, type ScenarioResult, type ScenarioTrials } from '../results/scenario-result.ts';
import type { LoadedScenario } from '../scenario/scenario.ts';

/**
 * Runs every scenario `trials` times, each trial independent (its own conversation and model
 * calls), at most `concurrency` at a time. In record mode the cassette kept is the first
 * passing trial's (or the last trial's when none passed), so one flaky failure does not replace
 * a good recording; it is written as soon as the scenario's trials are done.
 *
 * `settle` receives each scenario as soon as its last trial ends and returns what to keep of it
 * (by default all of it): a large run keeps thin records and lets the results go. Interrupted
 * (options.signal), only scenarios whose every trial ran to its end are settled and returned.
 */
export async function runTrials<T = ScenarioTrials>(
  scenarios: readonly LoadedScenario[],
  options: RunOptions,
  trials: number,
  concurrency: number,
  onResult: (result: ScenarioResult, trial: number, done: number, total: number) => void = () => {},
  settle: (run: ScenarioTrials) => T = (run) => run as T,
): Promise<T[]> {
  const entries = scenarios.map((loaded) => ({
    loaded,
    results: new Array<ScenarioResult>(trials),
    left: trials,
    kept: undefined as T | undefined,
  }));
  const jobs = entries.flatMap((entry) => Array.from({ length: trials }, (_, trial) => ({ entry, trial })));
  const recordMode = modeOf(options.mode) === 'record';
  let done = 0;
  await mapLimited(
    jobs,
    concurrency,
    async ({ entry, trial }) => {
      const result = await runScenario(entry.loaded, { ...options, deferCassette: recordMode, trial: trial + 1 }).catch((error: unknown) =>
        crashed(entry.loaded, modeOf(options.mode), error),
      );
      entry.results[trial] = result;
      done += 1;
      onResult(result, trial + 1, done, jobs.length);
      entry.left -= 1;
      if (entry.left > 0 || !isComplete(entry.results, trials, options.signal)) return;
      if (recordMode) entry.results = keepCassette(entry.loaded, entry.results, options.recordingsDir);
      entry.kept = settle({ loaded: entry.loaded, results: entry.results });
      entry.results = [];
    },
    options.signal,
  );
  return entries.flatMap((e) => (e.kept === undefined ? [] : [e.kept]));
}

/**
 * Record mode: writes the cassette of the first passing trial, or of the last one that has one.
 * A cassette that cannot be written (a full or failing disk) fails the scenario's trials as an
 * infrastructure error naming the file; the old cassette stays as it was and the run goes on.
 */
function keepCassette(loaded: LoadedScenario, results: ScenarioResult[], recordingsDir: string): ScenarioResult[] {
  const chosen = results.find((r) => r.pass && r.cassette) ?? results.findLast((r) => r.cassette);
  if (!chosen?.cassette) return results;
  const path = cassettePath(recordingsDir, loaded.scenario.id);
  try {
    writeCassette(path, chosen.cassette);
    return results;
  } catch (error) {
    const reason = `could not write the cassette ${path} (${(error as Error).message}); the one there before is kept as it was`;
    return results.map((r) => ({ ...r, pass: false, error: r.error ?? reason }));
  }
}

/** Whether every trial has a result, none of them cut short by an interruption. */
function isComplete(results: readonly (ScenarioResult | undefined)[], trials: number, signal: AbortSignal | undefined): boolean {
  if (!signal?.aborted) return true;
  // Array.from: a trial never started is a hole, which every() would skip.
  return (
    results.length === trials && Array.from(results).every((r) => r !== undefined && r.run?.transcripts.at(-1)?.stop_reason !== 'aborted')
  );
}
