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
 * One chat-completions request. No sampling parameters: some models reject non-default ones.
 * Without tools there is no tool_choice either (the API refuses one on its own).
 */
export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly OpenAIFunctionTool[];
  readonly tool_choice?: 'auto';
  /** Structured output (the judge asks for a JSON verdict); the agent loop never sets it. */
  readonly response_format?: { readonly type: 'json_schema'; readonly json_schema: Readonly<Record<string, unknown>> };
}

/** The model seam: the OpenAI adapter, the replayed cassette and the scripted double all fit it. */
export interface ModelClient {
  readonly model: string;
  complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse>;
}
