import type { ChatRequest } from '../../orchestrator/model-client.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import type { ObservedCall } from '../run/scenario-run.ts';

/** What a custom grader receives: the run as the built-in graders see it. */
export interface GraderInput {
  /** The scenario's ID (for a variation, `<scenario>.<variation>`). */
  readonly scenarioId: string;
  /** The user's turns, in order. */
  readonly turns: readonly string[];
  /** One transcript per turn: every model response, tool call and tool result, with timings. */
  readonly transcripts: readonly Transcript[];
  /** The tool calls in the order the model made them, with arguments, results and envelopes. */
  readonly calls: readonly ObservedCall[];
  /** The tool results as the model received them (the tool messages' text), by tool-call ID. */
  readonly results: ReadonlyMap<string, string>;
  /** The final answer of the last turn ('' when the run ended without one). */
  readonly answer: string;
  /** The requests the model received. */
  readonly requests: readonly ChatRequest[];
  /** The `options` object the scenario gives this grader. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What a custom grader returns. `score` (0 to 1) defaults to 1 when it passes, 0 when not. */
export interface GraderOutput {
  readonly pass: boolean;
  readonly score?: number;
  readonly message: string;
}

/** A custom grader: a pure function of the run, sync or async. */
export type Grader = (input: GraderInput) => GraderOutput | Promise<GraderOutput>;

/** Declares a grader with its types checked (`export default defineGrader((run) => ...)`). */
export function defineGrader(grader: Grader): Grader {
  return grader;
}
