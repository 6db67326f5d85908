import { z } from 'zod';
import type { OpenAIFunctionTool } from './openai-tools.ts';

/**
 * The chat-completions wire format, as far as the orchestrator reads and writes it. Declared
 * in zod so a malformed reply from any OpenAI-compatible endpoint is caught at the seam.
 */
export const ToolCallSchema = z.object({
  id: z.string(),
  // Some OpenAI-compatible servers leave out `type` or send `arguments` as an object; both are
  // read as OpenAI means them rather than rejected as a malformed reply.
  type: z.literal('function').default('function'),
  function: z.object({
    name: z.string(),
    arguments: z.union([z.string(), z.record(z.string(), z.unknown()).transform((value) => JSON.stringify(value))]).default(''),
  }),
});

export const AssistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string().nullable().optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  refusal: z.string().nullable().optional(),
});

export const UsageSchema = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
});

export const ChatResponseSchema = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        index: z.number().optional(),
        message: AssistantMessageSchema,
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: UsageSchema.nullable().optional(),
});

export type ToolCall = z.infer<typeof ToolCallSchema>;
export type AssistantMessage = z.infer<typeof AssistantMessageSchema>;
export type Usage = z.infer<typeof UsageSchema>;
export type ChatResponse = z.infer<typeof ChatResponseSchema>;

/** A message of the conversation sent to the model. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | AssistantMessage
  | { role: 'tool'; tool_call_id: string; content: string };

/**
 * The sampling settings a project or a scenario may set (config `model`, scenario `model`). None is
 * sent unless set: some models reject non-default values. They are part of every request, so a
 * cassette records them and replay refuses a run whose settings changed.
 */
export const ModelSettingsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature (0 to 2).'),
    seed: z.number().int().optional().describe('Seed for sampling, where the endpoint honours it.'),
    parallel_tool_calls: z
      .boolean()
      .optional()
      .describe('Whether the model may call several tools in one response (sent only with tools).'),
    max_tokens: z.number().int().min(1).optional().describe('The most tokens one response may have (sent as max_completion_tokens).'),
  })
  .strict();

export type ModelSettings = z.output<typeof ModelSettingsSchema>;

/** Settings over others, key by key (a scenario's over its project's). */
export function mergeSettings(base: ModelSettings | undefined, over: ModelSettings | undefined): ModelSettings | undefined {
  const merged: ModelSettings = { ...base };
  for (const key of ['temperature', 'seed', 'parallel_tool_calls', 'max_tokens'] as const) {
    if (over?.[key] !== undefined) Object.assign(merged, { [key]: over[key] });
  }
  return Object.keys(merged).length === 0 ? undefined : merged;
}

/** The request fields of settings: only the set ones, in wire names; parallel_tool_calls only beside tools. */
export function settingsFields(settings: ModelSettings | undefined, withTools: boolean): Record<string, unknown> {
  if (!settings) return {};
  return {
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
    ...(settings.max_tokens !== undefined ? { max_completion_tokens: settings.max_tokens } : {}),
    ...(withTools && settings.parallel_tool_calls !== undefined ? { parallel_tool_calls: settings.parallel_tool_calls } : {}),
  };
}

/**
 * One chat-completions request. No sampling parameter unless a project or scenario sets it.
 * Without tools there is no tool_choice either (the API refuses one on its own).
 */
export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly OpenAIFunctionTool[];
  readonly tool_choice?: 'auto';
  readonly temperature?: number;
  readonly seed?: number;
  readonly parallel_tool_calls?: boolean;
  readonly max_completion_tokens?: number;
  /** Structured output (the judge asks for a JSON verdict); the agent loop never sets it. */
  readonly response_format?: { readonly type: 'json_schema'; readonly json_schema: Readonly<Record<string, unknown>> };
}

/** The model seam: the OpenAI adapter, the replayed cassette and the scripted double all fit it. */
export interface ModelClient {
  readonly model: string;
  complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse>;
}
