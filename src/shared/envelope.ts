import { z } from 'zod';

/**
 * The one error shape of the project. Servers return it as an `isError` tool result; the
 * orchestrator builds the same shape for failures of its own, so the model always reads
 * the same structure whatever failed.
 */
export const ErrorEnvelopeSchema = z
  .object({
    error: z.string().min(1).describe('Short statement of what went wrong.'),
    reason: z.string().min(1).describe('Human-readable diagnosis of why it went wrong.'),
    suggested_actions: z.array(z.string().min(1)).min(1).describe('Concrete next steps for the caller.'),
    retryable: z.boolean().describe('True when trying again with different parameters can help.'),
    follow_up_tools: z.array(z.string().min(1)).optional().describe('Tools that are likely to help next.'),
    context: z.record(z.string(), z.unknown()).optional().describe('Identifiers and other facts about the failed call.'),
  })
  .strict();

/** A failure, as every part of the project reports it. */
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/**
 * Builds an envelope with a stable key order and without empty optional parts, so that
 * two equal failures serialise to the same bytes (recordings compare them).
 */
export function makeEnvelope(input: ErrorEnvelope): ErrorEnvelope {
  const envelope: ErrorEnvelope = {
    error: input.error,
    reason: input.reason,
    suggested_actions: [...input.suggested_actions],
    retryable: input.retryable,
  };
  if (input.follow_up_tools && input.follow_up_tools.length > 0) {
    envelope.follow_up_tools = [...input.follow_up_tools];
  }
  if (input.context && Object.keys(input.context).length > 0) {
    envelope.context = { ...input.context };
  }
  return envelope;
}

/** True when `value` has the envelope's shape (used to recognise envelopes in tool output). */
export function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  return ErrorEnvelopeSchema.safeParse(value).success;
}
