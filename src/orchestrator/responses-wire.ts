import { z } from 'zod';
import { ModelError } from './errors.ts';
import type { AssistantMessage, ChatRequest, ChatResponse, ToolCall } from './model-client.ts';

/**
 * OpenAI's Responses API, as far as the orchestrator speaks it. The agent loop, the graders and
 * the cassette triage all think in chat-completions terms; this file maps one request and one
 * reply across, both ways, so a Responses endpoint is recorded in its own wire format and still
 * compared, triaged and graded like any other.
 *
 * Mapping (stateless: the whole conversation is sent every turn, `store: false`):
 * - system / user / assistant text → input messages with that role;
 * - an assistant's tool calls → `function_call` items (call_id, name, arguments);
 * - a tool result → a `function_call_output` item;
 * - tools → `{ type: 'function', name, description, parameters, strict: false }` (the Responses API
 *   makes function tools strict unless told otherwise, and MCP schemas are not written for that);
 * - max_tokens → max_output_tokens; response_format → text.format. There is no seed.
 */

/** Which wire format a model is reached through. */
export const ModelApiSchema = z.enum(['chat', 'responses']);
export type ModelApi = z.infer<typeof ModelApiSchema>;

type InputItem =
  | { role: 'system' | 'user' | 'assistant'; content: string }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string };

/** Whether a request body is in Responses form (it has `input`, not `messages`). */
export function isResponsesRequest(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'input' in body && !('messages' in body);
}

/** A chat request as the body of `POST /responses`. */
export function toResponsesRequest(request: ChatRequest): Record<string, unknown> {
  if (request.seed !== undefined) {
    throw new ModelError(
      'bad_request',
      'The Responses API has no seed setting; remove "seed" from the model settings or reach this model through chat completions (api "chat").',
    );
  }
  const input: InputItem[] = [];
  for (const message of request.messages) {
    if (message.role === 'tool') {
      input.push({ type: 'function_call_output', call_id: message.tool_call_id, output: message.content });
    } else if (message.role === 'assistant') {
      if (message.content) input.push({ role: 'assistant', content: message.content });
      for (const call of message.tool_calls ?? []) {
        input.push({ type: 'function_call', call_id: call.id, name: call.function.name, arguments: call.function.arguments });
      }
    } else {
      input.push({ role: message.role, content: message.content });
    }
  }
  const format = request.response_format?.json_schema;
  return {
    model: request.model,
    input,
    ...(request.tools
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function',
            name: tool.function.name,
            description: tool.function.description,
            parameters: tool.function.parameters,
            strict: false,
          })),
        }
      : {}),
    ...(request.tool_choice ? { tool_choice: request.tool_choice } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.parallel_tool_calls !== undefined ? { parallel_tool_calls: request.parallel_tool_calls } : {}),
    ...(request.max_completion_tokens !== undefined ? { max_output_tokens: request.max_completion_tokens } : {}),
    ...(format ? { text: { format: { type: 'json_schema', ...format } } } : {}),
    store: false,
  };
}

type ResponsesTool = { name?: unknown; description?: unknown; parameters?: unknown };

/**
 * A Responses request body read back as the chat-completions request it stands for, so cassette
 * triage and diffs read one shape whichever API recorded it. Any other body comes back as it is.
 */
export function asChatRequest(body: unknown): unknown {
  if (!isResponsesRequest(body)) return body;
  const { input, tools, max_output_tokens, text, store: _store, ...rest } = body as Record<string, unknown>;
  const messages: Record<string, unknown>[] = [];
  const items = Array.isArray(input) ? (input as Record<string, unknown>[]) : [{ role: 'user', content: input }];
  for (const item of items) {
    if (item.type === 'function_call') {
      const call = { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
      const last = messages.at(-1);
      if (last?.role === 'assistant') last.tool_calls = [...((last.tool_calls as unknown[]) ?? []), call];
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else if (item.type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: item.output });
    } else {
      messages.push({ role: item.role, content: item.content });
    }
  }
  const format = (text as { format?: Record<string, unknown> } | undefined)?.format;
  return {
    ...rest,
    messages,
    ...(Array.isArray(tools)
      ? {
          tools: (tools as ResponsesTool[]).map((t) => ({
            type: 'function',
            function: { name: t.name, description: t.description, parameters: t.parameters },
          })),
        }
      : {}),
    ...(max_output_tokens !== undefined ? { max_completion_tokens: max_output_tokens } : {}),
    ...(format ? { response_format: { type: 'json_schema', json_schema: { ...format, type: undefined } } } : {}),
  };
}

const OutputItemSchema = z.union([
  z.object({
    type: z.literal('message'),
    content: z.array(
      z.union([
        z.object({ type: z.literal('output_text'), text: z.string() }),
        z.object({ type: z.literal('refusal'), refusal: z.string() }),
        z.object({ type: z.string() }),
      ]),
    ),
  }),
  z.object({
    type: z.literal('function_call'),
    call_id: z.string(),
    name: z.string(),
    arguments: z.union([z.string(), z.record(z.string(), z.unknown()).transform((value) => JSON.stringify(value))]).default(''),
  }),
  // reasoning, web search and other items carry nothing the loop acts on
  z.object({ type: z.string() }),
]);

const ResponsesReplySchema = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  status: z.string().optional(),
  error: z.object({ message: z.string() }).nullable().optional(),
  incomplete_details: z.object({ reason: z.string().optional() }).nullable().optional(),
  output: z.array(OutputItemSchema),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number(), total_tokens: z.number() }).nullable().optional(),
});

/** A reply of `POST /responses` as a chat completion; a malformed or failed one is a ModelError. */
export function fromResponsesReply(raw: unknown): ChatResponse {
  const parsed = ResponsesReplySchema.safeParse(raw);
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    throw new ModelError(
      'malformed_reply',
      `The model API sent a reply that is not a Responses API response (${problem?.path.join('.') || 'top level'}: ${problem?.message}).`,
    );
  }
  const reply = parsed.data;
  if (reply.status === 'failed') {
    throw new ModelError('server', `The model API could not produce a response: ${reply.error?.message ?? 'status "failed"'}.`);
  }
  const texts: string[] = [];
  const refusals: string[] = [];
  const calls: ToolCall[] = [];
  for (const item of reply.output) {
    if (item.type === 'message' && 'content' in item) {
      for (const part of item.content) {
        if (part.type === 'output_text' && 'text' in part) texts.push(part.text);
        if (part.type === 'refusal' && 'refusal' in part) refusals.push(part.refusal);
      }
    } else if (item.type === 'function_call' && 'call_id' in item) {
      calls.push({ id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } });
    }
  }
  const message: AssistantMessage = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : null,
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
    ...(refusals.length > 0 ? { refusal: refusals.join('') } : {}),
  };
  const finish = calls.length > 0 ? 'tool_calls' : reply.incomplete_details?.reason === 'max_output_tokens' ? 'length' : 'stop';
  return {
    ...(reply.id !== undefined ? { id: reply.id } : {}),
    ...(reply.model !== undefined ? { model: reply.model } : {}),
    choices: [{ index: 0, message, finish_reason: finish }],
    usage: reply.usage
      ? {
          prompt_tokens: reply.usage.input_tokens,
          completion_tokens: reply.usage.output_tokens,
          total_tokens: reply.usage.total_tokens,
        }
      : null,
  };
}

/**
 * A chat completion written as a Responses API reply: what a scripted author (and a test's local
 * endpoint) answers a `POST /responses` with.
 */
export function toResponsesReply(response: ChatResponse): Record<string, unknown> {
  const message = response.choices[0]?.message;
  const output: Record<string, unknown>[] = [];
  if (message?.content) {
    output.push({
      type: 'message',
      id: `msg_${response.id ?? 'reply'}`,
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: message.content, annotations: [] }],
    });
  }
  for (const call of message?.tool_calls ?? []) {
    output.push({
      type: 'function_call',
      id: `fc_${call.id}`,
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: 'completed',
    });
  }
  const usage = response.usage;
  return {
    id: `resp_${response.id ?? 'reply'}`,
    object: 'response',
    created_at: 0,
    status: 'completed',
    model: response.model,
    output,
    usage: usage ? { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.total_tokens } : null,
  };
}

/** The tools a recorded request offered, in chat-completions form whichever API it went through. */
export function requestTools(body: unknown): unknown {
  return (asChatRequest(body) as { tools?: unknown } | undefined)?.tools;
}
