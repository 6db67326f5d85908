import type { ErrorEnvelope } from '../../shared/envelope.ts';
import type { ChatRequest } from '../../orchestrator/model-client.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import type { JudgeCall } from '../judge/verdict.ts';

/**
 * How a run gets the model's turns: `replay` serves each scenario's cassette offline (CI, no
 * key); `rebase` replays the recorded decisions against today's servers and rewrites the
 * cassettes that still pass; `record` asks a live model and writes cassettes; `author` writes
 * them from each scenario's `script` without a model; `live` asks the model and writes nothing.
 */
export type RunMode = 'replay' | 'rebase' | 'record' | 'author' | 'live';

/**
 * Where a result's model turns came from, as results.json records it: a cassette (`replay`,
 * rebase included), a recording made now (`record`, authoring included) or the model alone (`live`).
 */
export type Mode = 'replay' | 'record' | 'live';

/** The mode a run's results record. */
export function modeOf(mode: RunMode): Mode {
  return mode === 'rebase' ? 'replay' : mode === 'author' ? 'record' : mode;
}

/** Whether a mode's model turns come from the cassettes (replay, rebase): it needs the replay hub. */
export const servesCassettes = (mode: RunMode): boolean => modeOf(mode) === 'replay';

/** Whether a mode asks a real model (live, record): it needs an endpoint and a key. */
export const asksModel = (mode: RunMode): boolean => mode === 'live' || mode === 'record';

/** Whether a mode writes cassettes (record, author, rebase): the recordings folder must be writable. */
export const writesCassettes = (mode: RunMode): boolean => mode === 'record' || mode === 'author' || mode === 'rebase';

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

/** The tool calls of a run's transcripts, flattened in call order. */
export function observedCalls(transcripts: readonly Transcript[]): ObservedCall[] {
  const calls: ObservedCall[] = [];
  transcripts.forEach((transcript, turn) => {
    const results = new Map(transcript.events.flatMap((e) => (e.type === 'tool_result' ? [[e.id, e] as const] : [])));
    for (const event of transcript.events) {
      if (event.type !== 'tool_call') continue;
      const result = results.get(event.id);
      calls.push({
        index: calls.length,
        turn,
        iteration: event.iteration,
        id: event.id,
        name: event.name,
        server: event.server,
        arguments: event.arguments,
        isError: result?.is_error ?? false,
        envelope: result?.envelope,
        durationMs: result?.duration_ms ?? 0,
        ...(result?.server_restarted ? { serverRestarted: true } : {}),
        ...(event.arguments === null ? { malformedArguments: event.raw_arguments } : {}),
      });
    }
  });
  return calls;
}
