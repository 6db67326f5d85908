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
      choices: [
        {
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'a', function: { name: 'get_article', arguments: { article_id: 'KB-001' } } },
              { id: 'b', type: 'function', function: { name: 'get_article', arguments: '{"article_id":"KB-002"}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
    }).complete(request);
    expect(reply.choices[0]?.message.tool_calls).toEqual([
      { id: 'a', type: 'function', function: { name: 'get_article', arguments: '{"article_id":"KB-001"}' } },
      { id: 'b', type: 'function', function: { name: 'get_article', arguments: '{"article_id":"KB-002"}' } },
    ]);
  });

  it.each([
    [401, { error: { message: 'bad key' } }, 'auth', 'rejected the API key (HTTP 401)'],
    [403, { error: { message: 'forbidden' } }, 'auth', 'The model API rejected the API key (HTTP 403). Check OPENAI_API_KEY.'],
    [500, { error: { message: 'oops' } }, 'server', 'The model API failed with HTTP 500.'],
    [499, { error: { message: 'closed' } }, 'bad_request', 'The model API refused the request (HTTP 499): 499'],
    [429, { error: { message: 'slow down' } }, 'rate_limit', 'rate-limiting this key (HTTP 429)'],
    [503, { error: { message: 'down' } }, 'server', 'failed with HTTP 503'],
    [400, { error: { message: 'unknown model' } }, 'bad_request', 'refused the request (HTTP 400)'],
    // What vLLM and Ollama answer when they cannot take tools: the message says how to get them.
    [
      400,
      { error: { message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set' } },
      'bad_request',
      'The model API refused the request (HTTP 400): 400 "auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set. vLLM takes tools only when started with --enable-auto-tool-choice and the --tool-call-parser of the model',
    ],
    [
      400,
      { error: { message: 'registry.ollama.ai/library/gemma2:2b does not support tools' } },
      'bad_request',
      'does not support tools. This model cannot call tools; choose one that can (Ollama lists them under the "tools" tag)',
    ],
    [200, { id: 'x' }, 'malformed_reply', 'not a chat completion (choices'],
    [200, '{"choices": [', 'malformed_reply', 'the body is not valid JSON'],
  ])('turns HTTP %i into a model error of kind %s that says what happened', async (status, body, kind, says) => {
    const error = await modelAnswering(status, body)
      .complete(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).kind).toBe(kind);
    expect((error as ModelError).message).toContain(says);
    expect((error as ModelError).status).toBe(kind === 'malformed_reply' ? undefined : status);
    // The SDK's error stays reachable for debugging; a reply that parsed but is no chat completion has none.
    if (status !== 200 || typeof body === 'string') expect((error as ModelError).cause).toBeInstanceOf(Error);
  });

  it('names the field that makes a reply no chat completion', async () => {
    const error = await modelAnswering(200, { choices: [{ message: { role: 'user', content: 'x' } }] })
      .complete(request)
      .catch((e: unknown) => e);
    expect((error as ModelError).message).toMatch(
      /^The model API sent a reply that is not a chat completion \(choices\.0\.message\.role: .+\)\.$/,
    );
    const top = await modelAnswering(200, [1])
      .complete(request)
      .catch((e: unknown) => e);
    expect((top as ModelError).message).toMatch(/\(top level: .+\)\.$/);
  });

  it('sends the request as given, to the base URL it was given, with the key as a bearer token', async () => {
    const seen: { url: string; auth: string | null; body: unknown }[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      seen.push({ url: String(input), auth: new Headers(init?.headers).get('authorization'), body: JSON.parse(String(init?.body)) });
      return new Response(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'hello' } }] }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const model = new OpenAIModel({ apiKey: 'sk-unit', model: 'm', baseURL: 'http://model.invalid/v1', maxRetries: 0, fetch });
    const reply = await model.complete({ ...request, tools: [], tool_choice: 'auto' });
    expect(reply.choices[0]?.message.content).toBe('hello');
    expect(seen).toEqual([
      { url: 'http://model.invalid/v1/chat/completions', auth: 'Bearer sk-unit', body: { ...request, tools: [], tool_choice: 'auto' } },
    ]);
    expect(model.model).toBe('m');
  });

  it('uses OpenAI itself when no base URL is given', async () => {
    const urls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      urls.push(String(input));
      return new Response('{}', { status: 500 });
    };
    await new OpenAIModel({ apiKey: 'sk-unit', model: 'm', baseURL: '', maxRetries: 0, fetch }).complete(request).catch(() => undefined);
    expect(urls).toEqual(['https://api.openai.com/v1/chat/completions']);
  });

  it('retries as often as it is told, then reports the last failure', async () => {
    let calls = 0;
    const fetch: typeof globalThis.fetch = async () => {
      calls += 1;
      return new Response('{}', { status: 503, headers: { 'retry-after-ms': '1' } });
    };
    const error = await new OpenAIModel({ apiKey: 'sk-unit', model: 'm', baseURL: 'http://model.invalid/v1', maxRetries: 2, fetch })
      .complete(request)
      .catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect((error as ModelError).kind).toBe('server');
  });

  it('says the endpoint could not be reached, and names a cancellation and a timeout as such', async () => {
    const unreachable: typeof globalThis.fetch = async () => {
      throw new TypeError('getaddrinfo ENOTFOUND model.invalid');
    };
    const down = await new OpenAIModel({
      apiKey: 'sk-unit',
      model: 'm',
      baseURL: 'http://model.invalid/v1',
      maxRetries: 0,
      fetch: unreachable,
    })
      .complete(request)
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ kind: 'connection', status: undefined });
    expect((down as ModelError).cause).toBeInstanceOf(Error);
    expect((down as ModelError).message).toMatch(/^Cannot reach the model API \(.+[^.]\)\. Check OPENAI_BASE_URL and the network\.$/);

    const never: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason ?? new Error('aborted')));
      });
    const slow = new OpenAIModel({
      apiKey: 'sk-unit',
      model: 'm',
      baseURL: 'http://model.invalid/v1',
      maxRetries: 0,
      timeoutMs: 30,
      fetch: never,
    });
    const timedOut = await slow.complete(request).catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ kind: 'timeout', message: 'The model API did not answer in time (after retries).' });
    expect((timedOut as ModelError).cause).toBeInstanceOf(Error);

    const controller = new AbortController();
    const cancelled = new OpenAIModel({ apiKey: 'sk-unit', model: 'm', baseURL: 'http://model.invalid/v1', maxRetries: 0, fetch: never })
      .complete(request, { signal: controller.signal })
      .catch((e: unknown) => e);
    controller.abort();
    const aborted = await cancelled;
    expect(aborted).toMatchObject({ kind: 'aborted', message: 'The model request was cancelled.' });
    expect((aborted as ModelError).cause).toBeInstanceOf(Error);
  });

  it('checks the key before first use', () => {
    expect(() => checkApiKey(undefined, undefined)).toThrow(/OPENAI_API_KEY is not set/);
    expect(() => checkApiKey(' sk-x', undefined)).toThrow(/spaces or line breaks/);
    expect(() => checkApiKey('abc', undefined)).toThrow(/start with "sk-"/);
    expect(() => checkApiKey('   ', undefined)).toThrow(/OPENAI_API_KEY is not set/);
    expect(() => checkApiKey('sk-a b', undefined)).toThrow(/spaces or line breaks/);
    expect(() => checkApiKey('sk-ab\n', 'http://localhost:11434/v1')).toThrow(/spaces or line breaks/);
    expect(() => checkApiKey('abc', '')).toThrow(/start with "sk-"/);
    expect(() => checkApiKey('abc', 'https://api.openai.com/v1/')).toThrow(/start with "sk-"/);
    expect(checkApiKey('sk-abc', undefined)).toBe('sk-abc');
    expect(checkApiKey('abc', 'http://localhost:11434/v1')).toBe('abc');
  });
});
