import type { ServerStatus } from '../orchestrator/server-pool.ts';
import type { Transcript, TranscriptEvent } from '../orchestrator/transcript.ts';

function ms(value: number): string {
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

function clip(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One line for a live event, or undefined for events not worth showing. */
export function describeEvent(event: TranscriptEvent): string | undefined {
  switch (event.type) {
    case 'tool_call':
      return `  → ${event.name}(${clip(event.raw_arguments, 70)})${event.server ? ` [${event.server}]` : ''}`;
    case 'tool_result':
      return event.envelope
        ? `  ✗ ${event.name} [${event.server ?? 'orchestrator'}] ${ms(event.duration_ms)}: ${clip(event.envelope.error, 70)}`
        : `  ✓ ${event.name} [${event.server ?? '?'}] ${ms(event.duration_ms)}`;
    case 'model_response':
      return `  · model ${ms(event.duration_ms)}${event.tool_calls.length > 0 ? `, ${event.tool_calls.length} tool call(s)` : ''}`;
    case 'model_error':
      return `  ✗ model: ${event.message}`;
    default:
      return undefined;
  }
}

/** What a person should read when a query did not end with an answer. */
export function describeStop(transcript: Transcript): string {
  switch (transcript.stop_reason) {
    case 'final_answer':
      return transcript.answer ?? '';
    case 'max_iterations':
      return `Stopped after ${transcript.max_iterations} model calls without a final answer. Try a narrower question.`;
    case 'aborted':
      return 'Cancelled.';
    case 'model_error': {
      const failure = transcript.events.findLast((e) => e.type === 'model_error');
      return failure && failure.type === 'model_error' ? failure.message : 'The model API failed.';
    }
  }
}

/** A one-line health summary per server. */
export function describeServers(servers: readonly ServerStatus[]): string[] {
  return servers.map(
    (s) =>
      `${s.name.padEnd(10)} ${s.state.padEnd(11)} ${String(s.tools).padStart(2)} tools  pid ${s.pid ?? '-'}${s.restarts ? `  restarts ${s.restarts}` : ''}${s.lastError ? `  (${s.lastError})` : ''}`,
  );
}
