import type { ChatRequest, ChatResponse, ModelClient } from './model-client.ts';
import { ModelError } from './errors.ts';

/** One scripted model turn: tool calls, a final answer, or a failure. */
export type ScriptedTurn =
  | {
      readonly toolCalls: readonly { readonly name: string; readonly arguments: unknown; readonly id?: string }[];
      readonly content?: string;
    }
  | { readonly answer: string }
  | { readonly error: ModelError };

/** A scripted turn in chat-completions wire format. */
export function scriptedResponse(turn: Exclude<ScriptedTurn, { error: ModelError }>, model: string, index: number): ChatResponse {
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  if ('answer' in turn) {
    return {
      id: `chatcmpl-scripted-${index}`,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: turn.answer }, finish_reason: 'stop' }],
      usage,
    };
  }
  return {
    id: `chatcmpl-scripted-${index}`,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: turn.content ?? null,
          tool_calls: turn.toolCalls.map((call, i) => ({
            id: call.id ?? `call_${index}_${i}`,
            type: 'function' as const,
            function: {
              name: call.name,
              arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
            },
          })),
        },
        finish_reason: 'tool_calls',
      },
    ],
    usage,
  };
}

/**
 * A model that plays back a fixed list of turns and records what it was asked. Used by unit
 * tests and by cassette authoring; `assertComplete()` catches a loop that stopped early.
 */
export class ScriptedModel implements ModelClient {
  readonly model: string;
  readonly requests: ChatRequest[] = [];
  readonly #turns: readonly ScriptedTurn[];
  #next = 0;

  constructor(turns: readonly ScriptedTurn[], model = 'scripted-model') {
    this.#turns = turns;
    this.model = model;
  }

  async complete(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<ChatResponse> {
    if (options.signal?.aborted) throw new ModelError('aborted', 'The model request was cancelled.');
    this.requests.push(structuredClone(request) as ChatRequest);
    const index = this.#next;
    const turn = this.#turns[index];
    if (!turn) throw new ModelError('malformed_reply', `Scripted model has no turn ${index + 1} (it has ${this.#turns.length}).`);
    this.#next += 1;
    if ('error' in turn) throw turn.error;
    return scriptedResponse(turn, this.model, index);
  }

  /** Turns not played yet. */
  get remaining(): number {
    return this.#turns.length - this.#next;
  }

  /** Throws when scripted turns were left unused: the loop stopped before the script did. */
  assertComplete(): void {
    if (this.remaining > 0) throw new Error(`Scripted model: ${this.remaining} of ${this.#turns.length} turns were never requested.`);
  }
}
