import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.ts';
import { checkApiKey, OpenAIModel } from './openai-model.ts';

/** An OpenAI client whose HTTP answers are given by the test (no network). */
function modelAnswering(status: number, body: unknown): OpenAIModel {
  const fetch: typeof globalThis.fetch = async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  return new OpenAIModel({ apiKey: 'sk-unit', model: 'm', baseURL: 'http://model.invalid/v1', maxRetries: 0, fetch });
}

const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('the OpenAI adapter', () => {
  it('reads tool calls from compatible servers that omit the type or send arguments as an object', async () => {
    const reply = await modelAnswering(200, {
      choices: [{ message: { role: 'assistant', content: null, tool_calls: [
        { id: 'a', function: { name: 'get_article', arguments: { article_id: 'KB-001' } } },
        { id: 'b', type: 'function', function: { name: 'get_article', arguments: '{"article_id":"KB-002"}' } },
      ] }, finish_reason: 'tool_calls' }],
    }).complete(request);
    expect(reply.choices[0]?.message.tool_calls).toEqual([
      { id: 'a', type: 'function', function: { name: 'get_article', arguments: '{"article_id":"KB-001"}' } },
      { id: 'b', type: 'function', function: { name: 'get_article', arguments: '{"article_id":"KB-002"}' } },
    ]);
  });

  it.each([
    [401, { error: { message: 'bad key' } }, 'auth', 'rejected the API key (HTTP 401)'],
    [429, { error: { message: 'slow down' } }, 'rate_limit', 'rate-limiting this key (HTTP 429)'],
    [503, { error: { message: 'down' } }, 'server', 'failed with HTTP 503'],
    [400, { error: { message: 'unknown model' } }, 'bad_request', 'refused the request (HTTP 400)'],
    [200, { id: 'x' }, 'malformed_reply', 'not a chat completion (choices'],
    [200, '{"choices": [', 'malformed_reply', 'the body is not valid JSON'],
  ])('turns HTTP %i into a model error of kind %s that says what happened', async (status, body, kind, says) => {
    const error = await modelAnswering(status, body).complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).kind).toBe(kind);
    expect((error as ModelError).message).toContain(says);
  });

  it('checks the key before first use', () => {
    expect(() => checkApiKey(undefined, undefined)).toThrow(/OPENAI_API_KEY is not set/);
    expect(() => checkApiKey(' sk-x', undefined)).toThrow(/spaces or line breaks/);
    expect(() => checkApiKey('abc', undefined)).toThrow(/start with "sk-"/);
    expect(checkApiKey('abc', 'http://localhost:11434/v1')).toBe('abc');
  });
});
