import { z } from 'zod';
import { ErrorEnvelopeSchema } from '../shared/envelope.ts';
import { UsageSchema } from './model-client.ts';

/** Why a query ended. */
export const STOP_REASONS = ['final_answer', 'max_iterations', 'model_error', 'aborted'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

const ToolCallRecord = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

/** One event of a query, in the order it happened. `at_ms` counts from the query's start. */
export const TranscriptEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), at_ms: z.number(), content: z.string() }),
  z.object({
    type: z.literal('model_request'),
    at_ms: z.number(),
    iteration: z.number().int(),
    messages: z.number().int(),
    tools: z.number().int(),
  }),
  z.object({
    type: z.literal('model_response'),
    at_ms: z.number(),
    iteration: z.number().int(),
    duration_ms: z.number(),
    content: z.string().nullable(),
    tool_calls: z.array(ToolCallRecord),
    finish_reason: z.string().nullable(),
    usage: UsageSchema.nullable(),
  }),
  z.object({
    type: z.literal('tool_call'),
    at_ms: z.number(),
    iteration: z.number().int(),
    id: z.string(),
    name: z.string(),
    server: z.string().nullable(),
    arguments: z.record(z.string(), z.unknown()).nullable(),
    raw_arguments: z.string(),
  }),
  z.object({
    type: z.literal('tool_result'),
    at_ms: z.number(),
    iteration: z.number().int(),
    id: z.string(),
    name: z.string(),
    server: z.string().nullable(),
    duration_ms: z.number(),
    is_error: z.boolean(),
    content: z.string(),
    envelope: ErrorEnvelopeSchema.optional(),
    /** The server had stopped and was restarted before the call: its duration includes the restart. */
    server_restarted: z.literal(true).optional(),
  }),
  z.object({
    type: z.literal('model_error'),
    at_ms: z.number(),
    iteration: z.number().int(),
    kind: z.string(),
    status: z.number().nullable(),
    message: z.string(),
  }),
  z.object({ type: z.literal('final_answer'), at_ms: z.number(), content: z.string() }),
]);
export type TranscriptEvent = z.infer<typeof TranscriptEventSchema>;

/** Everything one query did: the record the harness grades and `ask --json` prints. */
export const TranscriptSchema = z.object({
  version: z.literal(1),
  query: z.string(),
  model: z.string(),
  started_at: z.string(),
  duration_ms: z.number(),
  stop_reason: z.enum(STOP_REASONS),
  iterations: z.number().int(),
  max_iterations: z.number().int(),
  answer: z.string().nullable(),
  usage: UsageSchema,
  events: z.array(TranscriptEventSchema),
});
export type Transcript = z.infer<typeof TranscriptSchema>;
