import { z } from 'zod';
import type { Clock } from '../../src/shared/clock.ts';
import { makeEnvelope, type ErrorEnvelope } from '../../src/shared/envelope.ts';

/** What a tool handler may use besides its arguments. */
export interface ToolContext {
  readonly clock: Clock;
}

const FAILURE = Symbol('tool-failure');

/** A handled failure: the handler's way of answering with the error envelope. */
export interface ToolFailure {
  readonly [FAILURE]: true;
  readonly envelope: ErrorEnvelope;
}

/** Marks `envelope` as this call's answer; the server sends it with `isError: true`. */
export function toolError(envelope: ErrorEnvelope): ToolFailure {
  return { [FAILURE]: true, envelope: makeEnvelope(envelope) };
}

/** True when a handler answered with `toolError(...)`. */
export function isToolFailure(value: unknown): value is ToolFailure {
  return typeof value === 'object' && value !== null && FAILURE in value;
}

/** Any zod object schema; tool inputs are objects at the top level. */
export type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * A tool's result: one object shape, or a union of object shapes for tools that answer
 * differently by mode (one invoice vs. a customer's invoices).
 */
export type OutputSchema = ObjectSchema | z.ZodUnion<readonly ObjectSchema[]>;

/** One MCP tool: its schemas are the single source of its types and of its JSON Schema. */
export interface ToolDefinition<I extends ObjectSchema = ObjectSchema, O extends OutputSchema = OutputSchema> {
  readonly name: string;
  readonly title: string;
  /** Written for the model: what the tool does, when to prefer it, the ID formats it takes. */
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly run: (args: z.output<I>, context: ToolContext) => z.input<O> | ToolFailure;
}

/**
 * Declares a tool. The identity function exists for inference: `run` gets the parsed
 * argument type and must return the output type or a `toolError`.
 */
export function defineTool<I extends ObjectSchema, O extends OutputSchema>(definition: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return definition;
}
