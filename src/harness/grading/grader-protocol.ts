import type { GraderInput, GraderOutput } from './grader.ts';

/** From the main thread to a grader thread: run one grader. */
export interface GraderRequest {
  readonly id: number;
  readonly path: string;
  readonly exportName: string;
  readonly input: GraderInput;
}

/** From a grader thread: its output, or why there is none (a failed check's reason). */
export interface GraderReply {
  readonly id: number;
  readonly output: GraderOutput | string;
}
