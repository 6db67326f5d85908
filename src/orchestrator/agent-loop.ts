import type { ErrorEnvelope } from '../shared/envelope.ts';
import { isJsonObject, jsonKind } from '../shared/json-kind.ts';
import {
  settingsFields,
  type AssistantMessage,
  type ChatMessage,
  type ModelClient,
  type ModelSettings,
  type ToolCall,
  type Usage,
} from './model-client.ts';
import { MAX_ITERATIONS } from './constants.ts';
import { malformedArgumentsEnvelope } from './envelopes.ts';
import { ModelError } from './errors.ts';
import type { ToolCallOutcome, ToolRouter } from './tool-router.ts';
import type { StopReason, Transcript, TranscriptEvent } from './transcript.ts';

/** One question to the agent. */
export interface QueryOptions {
  readonly model: ModelClient;
  readonly tools: ToolRouter;
  readonly query: string;
  readonly systemPrompt: string;
  /** The conversation so far (starting with its system message); empty for a fresh one. */
  readonly history?: readonly ChatMessage[];
  readonly maxIterations?: number;
  /** Sampling settings sent with every model request (none by default). */
  readonly settings?: ModelSettings | undefined;
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
  if (!isJsonObject(value)) {
    return { ok: false, envelope: malformedArgumentsEnvelope(call.function.name, raw, `got ${jsonKind(value)}`) };
  }
  return { ok: true, args: value };
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

/** The state of one question while it runs: the conversation, the transcript events, the usage. */
class QueryRun {
  readonly #options: QueryOptions;
  readonly #start = performance.now();
  readonly #startedAt = new Date().toISOString();
  readonly #history: ChatMessage[];
  readonly messages: ChatMessage[];
  readonly events: TranscriptEvent[] = [];
  usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  iterations = 0;
  answer: string | null = null;

  constructor(options: QueryOptions) {
    this.#options = options;
    this.#history =
      options.history && options.history.length > 0 ? [...options.history] : [{ role: 'system', content: options.systemPrompt }];
    this.messages = [...this.#history, { role: 'user', content: options.query }];
    this.record({ type: 'user', at_ms: this.at(), content: options.query });
  }

  at(): number {
    return Math.round((performance.now() - this.#start) * 1000) / 1000;
  }

  record(event: TranscriptEvent): void {
    this.events.push(event);
    this.#options.onEvent?.(event);
  }

  /** One model call; the reply's message, or why the query must stop. */
  async askModel(): Promise<AssistantMessage | StopReason> {
    const { model, tools, signal, settings } = this.#options;
    const iteration = this.iterations;
    const offered = tools.openAITools();
    this.record({ type: 'model_request', at_ms: this.at(), iteration, messages: this.messages.length, tools: offered.length });
    const asked = performance.now();
    try {
      const response = await model.complete(
        {
          model: model.model,
          messages: [...this.messages],
          ...(offered.length > 0 ? { tools: offered, tool_choice: 'auto' as const } : {}),
          ...settingsFields(settings, offered.length > 0),
        },
        signal ? { signal } : {},
      );
      const choice = response.choices[0];
      if (!choice) throw new ModelError('malformed_reply', 'The model API sent a reply without choices.');
      this.usage = addUsage(this.usage, response.usage);
      this.record({
        type: 'model_response',
        at_ms: this.at(),
        iteration,
        duration_ms: performance.now() - asked,
        content: choice.message.content ?? null,
        tool_calls: (choice.message.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
        finish_reason: choice.finish_reason ?? null,
        usage: response.usage ?? null,
      });
      return choice.message;
    } catch (error) {
      if (isAbort(error, signal)) return 'aborted';
      const failure = error instanceof ModelError ? error : new ModelError('connection', String(error), undefined, { cause: error });
      this.record({
        type: 'model_error',
        at_ms: this.at(),
        iteration,
        kind: failure.kind,
        status: failure.status ?? null,
        message: failure.message,
      });
      return 'model_error';
    }
  }

  /** Runs one turn's tool calls concurrently and answers them in call order; 'aborted' on Ctrl+C. */
  async runTools(message: AssistantMessage, calls: readonly ToolCall[]): Promise<'aborted' | undefined> {
    this.messages.push({ role: 'assistant', content: message.content ?? null, tool_calls: [...calls] });
    let outcomes: ToolCallOutcome[];
    try {
      outcomes = await Promise.all(calls.map((call) => this.#execute(call)));
    } catch (error) {
      if (isAbort(error, this.#options.signal)) return 'aborted';
      throw error;
    }
    calls.forEach((call, i) => {
      const outcome = outcomes[i] as ToolCallOutcome;
      this.messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.content });
      this.record({
        type: 'tool_result',
        at_ms: this.at(),
        iteration: this.iterations,
        id: call.id,
        name: call.function.name,
        server: outcome.server ?? null,
        duration_ms: outcome.durationMs,
        is_error: outcome.envelope !== undefined,
        content: outcome.content,
        ...(outcome.envelope ? { envelope: outcome.envelope } : {}),
        ...(outcome.restarted ? { server_restarted: true as const } : {}),
      });
    });
    return undefined;
  }

  async #execute(call: ToolCall): Promise<ToolCallOutcome> {
    const { tools, signal } = this.#options;
    const name = call.function.name;
    const parsed = parseArguments(call);
    this.record({
      type: 'tool_call',
      at_ms: this.at(),
      iteration: this.iterations,
      id: call.id,
      name,
      server: tools.serverOf(name) ?? null,
      arguments: parsed.ok ? parsed.args : null,
      raw_arguments: call.function.arguments,
    });
    if (!parsed.ok) {
      return {
        server: tools.serverOf(name),
        tool: name,
        content: JSON.stringify(parsed.envelope),
        envelope: parsed.envelope,
        durationMs: 0,
      };
    }
    return tools.callTool(name, parsed.args, signal);
  }

  /** The transcript and the conversation to continue from (unchanged history when the query failed). */
  result(stopReason: StopReason, maxIterations: number): QueryResult {
    const { model, query } = this.#options;
    const transcript: Transcript = {
      version: 1,
      query,
      model: model.model,
      started_at: this.#startedAt,
      duration_ms: performance.now() - this.#start,
      stop_reason: stopReason,
      iterations: this.iterations,
      max_iterations: maxIterations,
      answer: this.answer,
      usage: this.usage,
      events: this.events,
    };
    const keep = stopReason === 'final_answer' || stopReason === 'max_iterations';
    return { transcript, messages: keep ? this.messages : this.#history };
  }
}

/**
 * Runs one question through the agent loop: model → tool calls (run concurrently, answered in
 * call order) → model … until a final answer, the iteration cap, a model failure or an abort.
 * Never throws for those: each ends the query with a stop reason and the partial transcript.
 */
export async function runQuery(options: QueryOptions): Promise<QueryResult> {
  const maxIterations = options.maxIterations ?? MAX_ITERATIONS;
  const run = new QueryRun(options);
  while (run.iterations < maxIterations) {
    if (options.signal?.aborted) return run.result('aborted', maxIterations);
    run.iterations += 1;
    const reply = await run.askModel();
    if (typeof reply === 'string') return run.result(reply, maxIterations);
    const calls = reply.tool_calls ?? [];
    if (calls.length === 0) {
      run.answer = reply.content ?? '';
      run.messages.push({ role: 'assistant', content: run.answer });
      run.record({ type: 'final_answer', at_ms: run.at(), content: run.answer });
      return run.result('final_answer', maxIterations);
    }
    if ((await run.runTools(reply, calls)) === 'aborted') return run.result('aborted', maxIterations);
  }
  return run.result('max_iterations', maxIterations);
}
