import type { ErrorEnvelope } from '../shared/envelope.ts';
import type { ChatMessage, ModelClient, ToolCall, Usage } from './chat.ts';
import { MAX_ITERATIONS } from './constants.ts';
import { malformedArgumentsEnvelope } from './envelopes.ts';
import { ModelError } from './errors.ts';
import type { OpenAIFunctionTool } from './openai-tools.ts';
import type { ToolCallOutcome } from './server-pool.ts';
import type { StopReason, Transcript, TranscriptEvent } from './transcript.ts';

/** What the loop needs from the servers; the ServerPool is the real one. */
export interface ToolRouter {
  openAITools(): OpenAIFunctionTool[];
  serverOf(name: string): string | undefined;
  callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolCallOutcome>;
}

/** One question to the agent. */
export interface QueryOptions {
  readonly model: ModelClient;
  readonly tools: ToolRouter;
  readonly query: string;
  readonly systemPrompt: string;
  /** The conversation so far (starting with its system message); empty for a fresh one. */
  readonly history?: readonly ChatMessage[];
  readonly maxIterations?: number;
  readonly signal?: AbortSignal;
  /** Called for every transcript event as it is recorded (the chat UI shows them live). */
  readonly onEvent?: (event: TranscriptEvent) => void;
}

/** The outcome of one question: its transcript and the conversation to continue from. */
export interface QueryResult {
  readonly transcript: Transcript;
  /** The conversation including this question; unchanged from `history` when the query failed. */
  readonly messages: ChatMessage[];
}

type Parsed = { ok: true; args: Record<string, unknown> } | { ok: false; envelope: ErrorEnvelope };

/** Model arguments as an object: empty text means no arguments; anything but a JSON object is an envelope. */
export function parseArguments(call: ToolCall): Parsed {
  const raw = call.function.arguments;
  if (raw.trim() === '') return { ok: true, args: {} };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    // Our own words, not the engine's parse message: that text changes between Node versions,
    // and the envelope is part of recorded conversations.
    return { ok: false, envelope: malformedArgumentsEnvelope(call.function.name, raw, 'they are not valid JSON') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, envelope: malformedArgumentsEnvelope(call.function.name, raw, `got ${kind}`) };
  }
  return { ok: true, args: value as Record<string, unknown> };
}

function addUsage(total: Usage, more: Usage | null | undefined): Usage {
  if (!more) return total;
  return {
    prompt_tokens: total.prompt_tokens + more.prompt_tokens,
    completion_tokens: total.completion_tokens + more.completion_tokens,
    total_tokens: total.total_tokens + more.total_tokens,
  };
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof ModelError && error.kind === 'aborted');
}

/**
 * Runs one question through the agent loop: model → tool calls (run concurrently, answered in
 * call order) → model … until a final answer, the iteration cap, a model failure or an abort.
 * Never throws for those: each ends the query with a stop reason and the partial transcript.
 */
export async function runQuery(options: QueryOptions): Promise<QueryResult> {
  const { model, tools, query, signal } = options;
  const maxIterations = options.maxIterations ?? MAX_ITERATIONS;
  const start = performance.now();
  const startedAt = new Date().toISOString();
  const history = options.history && options.history.length > 0 ? [...options.history] : [{ role: 'system', content: options.systemPrompt } as ChatMessage];
  const messages: ChatMessage[] = [...history, { role: 'user', content: query }];
  const events: TranscriptEvent[] = [];
  const at = () => Math.round((performance.now() - start) * 1000) / 1000;
  const record = (event: TranscriptEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  let usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let iterations = 0;
  let answer: string | null = null;
  let stopReason: StopReason = 'max_iterations';

  record({ type: 'user', at_ms: at(), content: query });
  loop: while (iterations < maxIterations) {
    if (signal?.aborted) {
      stopReason = 'aborted';
      break;
    }
    iterations += 1;
    const offered = tools.openAITools();
    record({ type: 'model_request', at_ms: at(), iteration: iterations, messages: messages.length, tools: offered.length });
    const asked = performance.now();
    let message;
    try {
      const response = await model.complete(
        { model: model.model, messages: [...messages], tools: offered, tool_choice: 'auto' },
        signal ? { signal } : {},
      );
      const choice = response.choices[0];
      if (!choice) throw new ModelError('malformed_reply', 'The model API sent a reply without choices.');
      message = choice.message;
      usage = addUsage(usage, response.usage);
      record({
        type: 'model_response', at_ms: at(), iteration: iterations, duration_ms: performance.now() - asked,
        content: message.content ?? null,
        tool_calls: (message.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
        finish_reason: choice.finish_reason ?? null, usage: response.usage ?? null,
      });
    } catch (error) {
      if (isAbort(error, signal)) {
        stopReason = 'aborted';
        break;
      }
      const failure = error instanceof ModelError ? error : new ModelError('connection', String(error), undefined, { cause: error });
      record({ type: 'model_error', at_ms: at(), iteration: iterations, kind: failure.kind, status: failure.status ?? null, message: failure.message });
      stopReason = 'model_error';
      break;
    }

    const calls = message.tool_calls ?? [];
    if (calls.length === 0) {
      answer = message.content ?? '';
      messages.push({ role: 'assistant', content: answer });
      record({ type: 'final_answer', at_ms: at(), content: answer });
      stopReason = 'final_answer';
      break;
    }
    messages.push({ role: 'assistant', content: message.content ?? null, tool_calls: calls });
    let outcomes: ToolCallOutcome[];
    try {
      outcomes = await Promise.all(calls.map((call) => executeCall(call, iterations)));
    } catch (error) {
      if (isAbort(error, signal)) {
        stopReason = 'aborted';
        break loop;
      }
      throw error;
    }
    calls.forEach((call, i) => {
      const outcome = outcomes[i] as ToolCallOutcome;
      messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.content });
      record({
        type: 'tool_result', at_ms: at(), iteration: iterations, id: call.id, name: call.function.name,
        server: outcome.server ?? null, duration_ms: outcome.durationMs, is_error: outcome.envelope !== undefined,
        content: outcome.content, ...(outcome.envelope ? { envelope: outcome.envelope } : {}),
      });
    });
  }

  const transcript: Transcript = {
    version: 1, query, model: model.model, started_at: startedAt, duration_ms: performance.now() - start,
    stop_reason: stopReason, iterations, max_iterations: maxIterations, answer, usage, events,
  };
  const keep = stopReason === 'final_answer' || stopReason === 'max_iterations';
  return { transcript, messages: keep ? messages : history };

  async function executeCall(call: ToolCall, iteration: number): Promise<ToolCallOutcome> {
    const name = call.function.name;
    const parsed = parseArguments(call);
    record({
      type: 'tool_call', at_ms: at(), iteration, id: call.id, name, server: tools.serverOf(name) ?? null,
      arguments: parsed.ok ? parsed.args : null, raw_arguments: call.function.arguments,
    });
    if (!parsed.ok) {
      return { server: tools.serverOf(name), tool: name, content: JSON.stringify(parsed.envelope), envelope: parsed.envelope, durationMs: 0 };
    }
    return tools.callTool(name, parsed.args, signal);
  }
}
