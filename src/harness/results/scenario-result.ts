import type { Cassette } from '../cassettes/cassette.ts';
import type { ReplayFailure } from '../cassettes/replay-hub.ts';
import type { FaultReport } from '../faults/fault.ts';
import type { GradeResult } from '../grading/score.ts';
import type { Mode, ScenarioRun } from '../run/scenario-run.ts';
import type { LoadedScenario } from '../scenario/scenario.ts';

/** What a rebase did with one cassette. */
export interface RebaseOutcome {
  readonly outcome: 'rebased' | 'unchanged' | 'refused';
  /** Rebased: the changes taken in; refused: why. */
  readonly reasons: readonly string[];
}

/** The graded outcome of one scenario run, as the run keeps it in memory. */
export interface ScenarioResult {
  readonly id: string;
  readonly file: string;
  readonly mode: Mode;
  readonly pass: boolean;
  readonly checks: readonly GradeResult[];
  readonly failures: readonly GradeResult[];
  /** The weighted score of the checks, 0 to 1 (null when the run was not graded). */
  readonly score: number | null;
  readonly replay: readonly ReplayFailure[];
  /** A failure of the infrastructure (a server did not start, a cassette is missing) rather than of the model. */
  readonly error: string | undefined;
  readonly run: ScenarioRun | undefined;
  readonly durationMs: number;
  /** Record mode with deferCassette: the cassette this run would have written. */
  readonly cassette?: Cassette | undefined;
  /** Rebase runs: what happened to the cassette. */
  readonly rebase?: RebaseOutcome | undefined;
  /** Replay: what the model was told differently since its recorded live responses (cassette header). */
  readonly staleResponses?: readonly string[] | undefined;
  /** Faulted runs: what the faults did. */
  readonly faults?: FaultReport | undefined;
  /** Set when this is the quiet re-run that confirmed (or cleared) latency failures under load. */
  readonly latencyConfirmed?: boolean | undefined;
  /** Traced runs: the trace ID of the scenario's span. */
  readonly traceId?: string | undefined;
}

/** All trials of one scenario, in trial order. */
export interface ScenarioTrials {
  readonly loaded: LoadedScenario;
  readonly results: ScenarioResult[];
}

/** A scenario that did not run to a graded end: the error (an infrastructure failure unless replay failures come with it). */
export function failedResult(
  loaded: LoadedScenario,
  mode: Mode,
  error: string,
  durationMs = 0,
  replay: ReplayFailure[] = [],
): ScenarioResult {
  return {
    id: loaded.scenario.id,
    file: loaded.file,
    mode,
    pass: false,
    checks: [],
    failures: [],
    score: null,
    replay,
    error,
    run: undefined,
    durationMs,
  };
}

/** A trial that broke the harness itself: reported as failed, never allowed to stop the others. */
export function crashed(loaded: LoadedScenario, mode: Mode, error: unknown): ScenarioResult {
  return failedResult(loaded, mode, `the harness failed: ${error instanceof Error ? error.message : String(error)}`);
}
