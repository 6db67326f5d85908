import { scriptedResponse } from '../../orchestrator/scripted-model.ts';
import { toResponsesReply } from '../../orchestrator/responses-wire.ts';
import type { Interaction } from './cassette.ts';
import type { ScriptTurn } from '../scenario/scenario.ts';

/** The address a fetch was asked for. */
export const urlOf = (input: Parameters<typeof fetch>[0]): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

/**
 * Wraps a fetch so every model exchange (chat completions or Responses API) is kept in wire format: the JSON body sent
 * and the JSON body received, with the status. Headers are not kept, so no API key can reach a
 * cassette.
 */
export class Recorder {
  readonly interactions: Interaction[] = [];
  readonly #base: typeof fetch;

  constructor(base: typeof fetch = globalThis.fetch) {
    this.#base = base;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const response = await this.#base(input, init);
    const url = urlOf(input);
    if (!isModelCall(url) || typeof init?.body !== 'string') return response;
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // a non-JSON body is kept as text
    }
    this.interactions.push({ request: JSON.parse(init.body) as Record<string, unknown>, response: { status: response.status, body } });
    return response;
  };
}

/** A model request's address: chat completions or the Responses API. */
function isModelCall(url: string): boolean {
  return url.endsWith('/chat/completions') || url.endsWith('/responses');
}

/** A scripted reply in the wire format of the address asked (a Responses request gets a Responses reply). */
function scriptedReply(url: string, wire: ReturnType<typeof scriptedResponse>): Response {
  return Response.json(url.endsWith('/responses') ? toResponsesReply(wire) : { object: 'chat.completion', created: 0, ...wire });
}

/**
 * A fetch that answers model requests from a script instead of a model, for authoring
 * cassettes without a key. Running out of script is a 500 the author will see in the report.
 */
export function scriptedFetch(script: readonly ScriptTurn[], model: string): typeof fetch {
  const turns = script.filter((turn) => !('judge' in turn));
  let next = 0;
  return async (input) => {
    const index = next;
    const turn = turns[index];
    next += 1;
    if (!turn) {
      return Response.json(
        { error: { message: `script has no turn ${index + 1} (it has ${turns.length})`, type: 'script_exhausted' } },
        { status: 500 },
      );
    }
    if ('judge' in turn) throw new Error('unreachable: judge turns are filtered out');
    if ('error' in turn)
      return Response.json({ error: { message: turn.error.message, type: 'scripted_error' } }, { status: turn.error.status });
    const wire =
      'answer' in turn
        ? scriptedResponse({ answer: turn.answer }, model, index)
        : scriptedResponse({ toolCalls: turn.tool_calls, ...(turn.content ? { content: turn.content } : {}) }, model, index);
    return scriptedReply(urlOf(input), wire);
  };
}

/**
 * A fetch that answers the judge from the script's `judge` turns, in order, for authoring a
 * judged cassette without a key. Running out of them is a 500, as for the model's turns.
 */
export function scriptedJudgeFetch(script: readonly ScriptTurn[], model: string): typeof fetch {
  const verdicts = script.flatMap((turn) => ('judge' in turn ? [turn.judge] : []));
  let next = 0;
  return async () => {
    const verdict = verdicts[next];
    next += 1;
    if (!verdict) {
      return Response.json(
        { error: { message: `script has no judge verdict ${next} (it has ${verdicts.length})`, type: 'script_exhausted' } },
        { status: 500 },
      );
    }
    const wire = scriptedResponse({ answer: JSON.stringify(verdict) }, model, next - 1);
    return Response.json({ object: 'chat.completion', created: 0, ...wire });
  };
}
