import { cassettePath, writeCassette } from './cassette.ts';
import { mapLimited } from './concurrency.ts';
import type { Mode } from './grading/run.ts';
import { runScenario, type RunOptions, type ScenarioResult } from './runner.ts';
import type { LoadedScenario } from './scenario.ts';

/** All trials of one scenario, in trial order. */
export interface ScenarioTrials {
  readonly loaded: LoadedScenario;
  readonly results: ScenarioResult[];
}

/** A trial that broke the harness itself: reported as failed, never allowed to stop the others. */
function crashed(loaded: LoadedScenario, mode: Mode, error: unknown): ScenarioResult {
  return {
    id: loaded.scenario.id, file: loaded.file, mode, pass: false, checks: [], failures: [], score: null, replay: [],
    error: `the harness failed: ${error instanceof Error ? error.message : String(error)}`, run: undefined, durationMs: 0,
  };
}

/**
 * Runs every scenario `trials` times, each trial independent (its own conversation and model
 * calls), at most `concurrency` at a time. In record mode the cassette kept is the first
 * passing trial's (or the last trial's when none passed), so one flaky failure does not replace
 * a good recording.
 */
export async function runTrials(
  scenarios: readonly LoadedScenario[],
  options: RunOptions,
  trials: number,
  concurrency: number,
  onResult: (result: ScenarioResult, trial: number, done: number, total: number) => void = () => {},
): Promise<ScenarioTrials[]> {
  const byScenario = scenarios.map((loaded) => ({ loaded, results: new Array<ScenarioResult>(trials) }));
  const jobs = byScenario.flatMap((entry) => Array.from({ length: trials }, (_, trial) => ({ entry, trial })));
  const recordMode = options.mode === 'record';
  let done = 0;
  await mapLimited(jobs, concurrency, async (job) => {
    const result = await runScenario(job.entry.loaded, { ...options, deferCassette: recordMode })
      .catch((error: unknown) => crashed(job.entry.loaded, options.mode, error));
    job.entry.results[job.trial] = result;
    done += 1;
    onResult(result, job.trial + 1, done, jobs.length);
  }, options.signal);
  // Interrupted (options.signal): only scenarios whose every trial ran to its end count.
  const complete = options.signal?.aborted ? byScenario.filter(({ results }) => isComplete(results, trials)) : byScenario;
  if (recordMode) {
    for (const { loaded, results } of complete) {
      const chosen = results.find((r) => r.pass && r.cassette) ?? results.findLast((r) => r.cassette);
      if (chosen?.cassette) writeCassette(cassettePath(options.recordingsDir, loaded.scenario.id), chosen.cassette);
    }
  }
  return complete;
}

/** Whether every trial has a result, none of them cut short by the interruption. */
function isComplete(results: readonly (ScenarioResult | undefined)[], trials: number): boolean {
  // Array.from: a trial never started is a hole, which every() would skip.
  return results.length === trials && Array.from(results).every((r) => r !== undefined && r.run?.transcripts.at(-1)?.stop_reason !== 'aborted');
}
