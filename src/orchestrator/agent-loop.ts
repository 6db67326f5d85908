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
import type { TraceSpan } from '../shared/tracing.ts';

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
  /** The span this question runs under (a scenario's, a command's): its invoke_agent span is a child of it. */
  readonly trace?: TraceSpan | undefined;
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
  /** The query's invoke_agent span (GenAI conventions), when traced. */
  readonly span: TraceSpan | undefined;

  constructor(options: QueryOptions) {
    this.#options = options;
    this.span = options.trace?.child('invoke_agent helpdesk', {
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'helpdesk',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': options.model.model,
      },
    });
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
    const span = this.span?.child(`chat ${model.model}`, {
      kind: 'client',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': model.model,
        'gen_ai.request.temperature': settings?.temperature,
        'gen_ai.request.seed': settings?.seed,
        'gen_ai.request.max_tokens': settings?.max_tokens,
        'helpdesk.iteration': iteration,
        'gen_ai.input.messages': this.span?.captureContent ? JSON.stringify(this.messages) : undefined,
      },
    });
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
      span?.set({
        'gen_ai.response.model': response.model,
        'gen_ai.response.id': response.id,
        'gen_ai.response.finish_reasons': choice.finish_reason ? [choice.finish_reason] : undefined,
        'gen_ai.usage.input_tokens': response.usage?.prompt_tokens,
        'gen_ai.usage.output_tokens': response.usage?.completion_tokens,
        'gen_ai.output.messages': span.captureContent ? JSON.stringify([choice.message]) : undefined,
      });
      span?.end();
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
      if (isAbort(error, signal)) {
        span?.fail('aborted', 'the query was cancelled');
        span?.end();
        return 'aborted';
      }
      const failure = error instanceof ModelError ? error : new ModelError('connection', String(error), undefined, { cause: error });
      span?.set({ 'http.response.status_code': failure.status });
      span?.fail(failure.kind, failure.message);
      span?.end();
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
    const name = call.function.name;
    const span = this.span?.child(`execute_tool ${name}`, {
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': name,
        'gen_ai.tool.call.id': call.id,
        'gen_ai.tool.type': 'function',
        'helpdesk.iteration': this.iterations,
        'gen_ai.tool.call.arguments': this.span?.captureContent ? call.function.arguments : undefined,
      },
    });
    if (!span) return this.#call(call, name, undefined);
    try {
      const outcome = await this.#call(call, name, span);
      span.set({
        'helpdesk.server': outcome.server,
        'gen_ai.tool.call.result': span.captureContent ? outcome.content : undefined,
      });
      if (outcome.restarted) span.event('server_restarted', { 'helpdesk.server': outcome.server });
      if (outcome.envelope) span.fail('tool_error', outcome.envelope.error);
      return outcome;
    } catch (error) {
      span.fail(isAbort(error, this.#options.signal) ? 'aborted' : ((error as Error)?.name ?? 'Error'), (error as Error)?.message);
      throw error;
    } finally {
      span.end();
    }
  }

  async #call(call: ToolCall, name: string, span: TraceSpan | undefined): Promise<ToolCallOutcome> {
    const { tools, signal } = this.#options;
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
    return tools.callTool(name, parsed.args, signal, span);
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
    this.#endSpan(stopReason, maxIterations);
    return { transcript, messages: keep ? this.messages : this.#history };
  }

  /** The invoke_agent span's outcome: tokens, iterations, the stop reason; a query that did not answer is an error. */
  #endSpan(stopReason: StopReason, maxIterations: number): void {
    const span = this.span;
    if (!span) return;
    span.set({
      'gen_ai.usage.input_tokens': this.usage.prompt_tokens,
      'gen_ai.usage.output_tokens': this.usage.completion_tokens,
      'helpdesk.stop_reason': stopReason,
      'helpdesk.iterations': this.iterations,
      'helpdesk.max_iterations': maxIterations,
    });
    if (stopReason === 'max_iterations') {
      span.event('iteration_cap', { 'helpdesk.max_iterations': maxIterations });
      span.fail('max_iterations', `the ${maxIterations}-iteration cap was reached without a final answer`);
    } else if (stopReason === 'model_error') {
      const failure = this.events.findLast((e): e is Extract<TranscriptEvent, { type: 'model_error' }> => e.type === 'model_error');
      span.fail(failure?.kind ?? 'model_error', failure?.message);
    } else if (stopReason === 'aborted') {
      span.fail('aborted', 'the query was cancelled');
    }
    span.end();
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
