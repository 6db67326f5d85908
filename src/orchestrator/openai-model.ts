import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ChatResponseSchema, type ChatRequest, type ChatResponse, type ModelClient } from './model-client.ts';
import { MODEL_MAX_RETRIES, MODEL_TIMEOUT_MS } from './constants.ts';
import { ConfigError, ModelError } from './errors.ts';
import { fromResponsesReply, toResponsesRequest, type ModelApi } from './responses-wire.ts';

/** Where and how to reach an OpenAI-compatible chat-completions endpoint. */
export interface OpenAIModelOptions {
  readonly apiKey: string;
  readonly model: string;
  /** Any OpenAI-compatible endpoint (Azure, vLLM, Ollama, LM Studio); default api.openai.com. */
  readonly baseURL?: string | undefined;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  /** For tests and replay: the fetch the client uses. */
  readonly fetch?: typeof fetch;
  /** The wire format: chat completions (default) or the Responses API. */
  readonly api?: ModelApi | undefined;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * Checks an API key before its first use, without a network call, so a missing or pasted-wrong
 * key gets a helpful message instead of a 401 after the servers have started.
 */
export function checkApiKey(
  apiKey: string | undefined,
  baseURL: string | undefined,
  names: { readonly key: string; readonly baseURL: string } = { key: 'OPENAI_API_KEY', baseURL: 'OPENAI_BASE_URL' },
): string {
  const key = apiKey?.trim() ?? '';
  if (key === '') {
    throw new ConfigError(
      `${names.key} is not set. Export it (export ${names.key}=sk-...) or put it in a .env file; for a local OpenAI-compatible server any non-empty value works, e.g. ${names.key}=local.`,
    );
  }
  if (/\s/.test(key) || key !== apiKey) {
    throw new ConfigError(`${names.key} contains spaces or line breaks; check that it was pasted whole and without quotes.`);
  }
  const official = baseURL === undefined || baseURL === '' || baseURL.startsWith(OPENAI_BASE_URL);
  if (official && !key.startsWith('sk-')) {
    throw new ConfigError(
      `${names.key} does not look like an OpenAI key (they start with "sk-"). Set ${names.baseURL} too if you use another provider.`,
    );
  }
  return key;
}

/**
 * What to do when an OpenAI-compatible server refuses the tools themselves, by what each says:
 * vLLM serves tool calls only when started for them, Ollama only for models trained for them.
 */
function toolAdvice(message: string): string {
  if (/enable-auto-tool-choice|tool-call-parser/.test(message)) {
    return '. vLLM takes tools only when started with --enable-auto-tool-choice and the --tool-call-parser of the model (e.g. hermes for Qwen, llama3_json for Llama 3.1+, mistral).';
  }
  if (/does not support tools/i.test(message)) {
    return '. This model cannot call tools; choose one that can (Ollama lists them under the "tools" tag), e.g. qwen3 or llama3.1.';
  }
  return '';
}

function describe(error: unknown): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof APIUserAbortError) return new ModelError('aborted', 'The model request was cancelled.', undefined, { cause: error });
  if (error instanceof APIConnectionTimeoutError) {
    return new ModelError('timeout', 'The model API did not answer in time (after retries).', undefined, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ModelError(
      'connection',
      `Cannot reach the model API (${error.message.replace(/\.$/, '')}). Check OPENAI_BASE_URL and the network.`,
      undefined,
      { cause: error },
    );
  }
  if (error instanceof APIError) {
    const status = error.status;
    if (status === 401 || status === 403) {
      return new ModelError('auth', `The model API rejected the API key (HTTP ${status}). Check OPENAI_API_KEY.`, status, { cause: error });
    }
    if (status === 429) {
      return new ModelError('rate_limit', 'The model API is rate-limiting this key (HTTP 429). Wait and try again.', status, {
        cause: error,
      });
    }
    if (status !== undefined && status >= 500) {
      return new ModelError('server', `The model API failed with HTTP ${status}.`, status, { cause: error });
    }
    return new ModelError(
      'bad_request',
      `The model API refused the request (HTTP ${status ?? '?'}): ${error.message}${toolAdvice(error.message)}`,
      status,
      { cause: error },
    );
  }
  if (error instanceof SyntaxError) {
    return new ModelError(
      'malformed_reply',
      `The model API sent a reply that is not a chat completion (the body is not valid JSON: ${error.message}).`,
      undefined,
      { cause: error },
    );
  }
  return new ModelError('connection', `Model request failed: ${(error as Error)?.message ?? String(error)}`, undefined, { cause: error });
}

/**
 * The model seam's real implementation: OpenAI's SDK against any compatible endpoint, through
 * chat completions or (api "responses") the Responses API, whose replies are read as chat completions.
 */
export class OpenAIModel implements ModelClient {
  readonly model: string;
  readonly api: ModelApi;
  readonly #client: OpenAI;

  constructor(options: OpenAIModelOptions) {
    this.model = options.model;
    this.api = options.api ?? 'chat';
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL || OPENAI_BASE_URL,
      timeout: options.timeoutMs ?? MODEL_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? MODEL_MAX_RETRIES,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async complete(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<ChatResponse> {
    if (this.api === 'responses') return this.#respond(request, options);
    let raw: unknown;
    try {
      raw = await this.#client.chat.completions.create(
        // The request is already in wire format; the SDK's own types are stricter than needed here.
        request as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
        options.signal ? { signal: options.signal } : {},
      );
    } catch (error) {
      throw describe(error);
    }
    const parsed = ChatResponseSchema.safeParse(raw);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      throw new ModelError(
        'malformed_reply',
        `The model API sent a reply that is not a chat completion (${problem?.path.join('.') || 'top level'}: ${problem?.message}).`,
      );
    }
    return parsed.data;
  }

  async #respond(request: ChatRequest, options: { signal?: AbortSignal }): Promise<ChatResponse> {
    const body = toResponsesRequest(request);
    let raw: unknown;
    try {
      raw = await this.#client.responses.create(
        body as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming,
        options.signal ? { signal: options.signal } : {},
      );
    } catch (error) {
      throw describe(error);
    }
    return fromResponsesReply(raw);
  }
}
