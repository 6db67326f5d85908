import type { ErrorEnvelope } from '../../shared/envelope.ts';
import type { ChatRequest } from '../../orchestrator/chat.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import type { Check } from '../grading/matchers.ts';
import type { JudgeCall } from '../grading/judge.ts';

/** The three ways a scenario runs. */
export type Mode = 'replay' | 'record' | 'live';

/** One tool call as the graders see it, in the order the model made them. */
export interface ObservedCall {
  readonly index: number;
  readonly turn: number;
  readonly iteration: number;
  readonly id: string;
  readonly name: string;
  readonly server: string | null;
  readonly arguments: Record<string, unknown> | null;
  /** The text the model sent, when it was not one JSON object: the call got an envelope and never reached a server. */
  readonly malformedArguments?: string;
  readonly isError: boolean;
  readonly envelope: ErrorEnvelope | undefined;
  readonly durationMs: number;
  /** The call waited for its server to be restarted (it had stopped): its time is not the tool's. */
  readonly serverRestarted?: boolean;
}

/** Everything a scenario run produced, as the graders read it. */
export interface ScenarioRun {
  readonly mode: Mode;
  readonly transcripts: readonly Transcript[];
  readonly calls: readonly ObservedCall[];
  /** The requests the model received, in order (to check what it was told). */
  readonly requests: readonly ChatRequest[];
  readonly startupMs: number;
  readonly discoveryMs: number;
  /** The judge's verdicts on the answer (expect.judge), in the order listed; undefined when the run failed before judging. */
  readonly judge?: readonly JudgeCall[] | undefined;
  /** Set when the run itself failed (a crash in the harness or orchestrator, not a graded outcome). */
  readonly crash?: string | undefined;
}

/** One graded check of a scenario. */
export interface GradeResult extends Check {
  readonly name: string;
  /** A graded score from 0 to 1 (judges and custom graders); otherwise 1 when passed, 0 when not. */
  readonly score?: number | undefined;
  /** The check's weight in the scenario score, when not 1. */
  readonly weight?: number | undefined;
}

/** The tool calls of a run's transcripts, flattened in call order. */
export function observedCalls(transcripts: readonly Transcript[]): ObservedCall[] {
  const calls: ObservedCall[] = [];
  transcripts.forEach((transcript, turn) => {
    const results = new Map(transcript.events.flatMap((e) => (e.type === 'tool_result' ? [[e.id, e] as const] : [])));
    for (const event of transcript.events) {
      if (event.type !== 'tool_call') continue;
      const result = results.get(event.id);
      calls.push({
        index: calls.length, turn, iteration: event.iteration, id: event.id, name: event.name, server: event.server,
        arguments: event.arguments, isError: result?.is_error ?? false, envelope: result?.envelope,
        durationMs: result?.duration_ms ?? 0, ...(result?.server_restarted ? { serverRestarted: true } : {}),
        ...(event.arguments === null ? { malformedArguments: event.raw_arguments } : {}),
      });
    }
  });
  return calls;
}
