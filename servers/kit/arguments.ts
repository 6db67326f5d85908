import { z } from 'zod';
import { makeEnvelope, type ErrorEnvelope } from '../../src/shared/envelope.ts';

type JsonSchema = Record<string, unknown>;

/** JSON Schema of a zod schema, without the `$schema` marker (OpenAI and MCP clients do not need it). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _marker, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'throw' });
  return portable(rest) as JsonSchema;
}

/**
 * The same schema in the forms every MCP client reads: a `type` list (zod's nullable) becomes
 * `anyOf` branches of one type each, and an empty `additionalProperties` schema (any value)
 * becomes `true` — several clients read `type` as one string, or ignore a schema without keywords.
 */
export function portable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(portable);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    const empty = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
    out[key] =
      key === 'additionalProperties' && empty
        ? true
        : key === 'properties' || key === '$defs'
          ? mapValues(value, portable)
          : portable(value);
  }
  const { type, ...others } = out;
  if (!Array.isArray(type)) return out;
  const { description, title, default: fallback, ...constraints } = others;
  return {
    ...(description !== undefined ? { description } : {}),
    ...(title !== undefined ? { title } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
    anyOf: type.map((one) => (one === 'null' ? { type: 'null' } : { type: one, ...constraints })),
  };
}

function mapValues(value: unknown, map: (v: unknown) => unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]));
}

const MAX_SHOWN = 60;

/** A value as it appears in an error message: JSON, cut short so hostile input stays readable. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'nothing' : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} chars)` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** One argument problem, in words a model can act on. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const name = issue.path.length > 0 ? issue.path.map(String).join('.') : 'arguments';
  const got = preview(valueAt(input, issue.path));
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown argument${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined && issue.path.length > 0) {
        return `missing required argument '${name}'`;
      }
      return `'${name}' must be ${article(issue.expected)} (got ${got})`;
    case 'invalid_value':
      return `'${name}' must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (got ${got})`;
    case 'invalid_format':
      return `'${name}' ${issue.message.startsWith('Invalid') ? 'has the wrong format' : issue.message} (got ${got})`;
    case 'too_big':
      return `'${name}' must be ${issue.origin === 'string' ? `at most ${issue.maximum} characters long` : `at most ${issue.maximum}`} (got ${issue.origin === 'string' ? `${String(valueAt(input, issue.path)).length} characters` : got})`;
    case 'too_small':
      return `'${name}' must be ${issue.origin === 'string' ? `at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'} long` : `at least ${issue.minimum}`} (got ${got})`;
    default:
      return `'${name}' ${issue.message} (got ${got})`;
  }
}

function article(type: string): string {
  if (type === 'int') return 'a whole number';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** "ticket_id (string, required, pattern ^TKT-\d{4}$)" for each declared argument. */
export function expectedArguments(schema: JsonSchema): string[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const parts = [String(property.type ?? 'any'), required.has(name) ? 'required' : 'optional'];
    if (Array.isArray(property.enum)) parts.push(`one of ${property.enum.join('|')}`);
    if (typeof property.pattern === 'string') parts.push(`pattern ${property.pattern}`);
    if (typeof property.minimum === 'number') parts.push(`min ${property.minimum}`);
    if (typeof property.maximum === 'number') parts.push(`max ${property.maximum}`);
    if (property.default !== undefined) parts.push(`default ${JSON.stringify(property.default)}`);
    return `${name} (${parts.join(', ')})`;
  });
}

/** The argument list of a tool's input schema, as envelopes show it. */
export function expectedArgumentsOf(input: z.ZodType): string[] {
  return expectedArguments(jsonSchemaOf(input, 'input'));
}

/** Every problem with a call's arguments, in words; empty when the arguments are fine. */
export function argumentProblems(input: unknown, error: z.ZodError | undefined): string[] {
  return error ? error.issues.map((issue) => describeIssue(issue, input)) : [];
}

/** The envelope for a call whose arguments do not fit the tool's input schema. */
export function invalidArgumentsEnvelope(tool: string, problems: readonly string[], inputJsonSchema: JsonSchema): ErrorEnvelope {
  return makeEnvelope({
    error: `Invalid arguments for ${tool}`,
    reason: `${problems.join('; ')}.`,
    suggested_actions: [
      `Call ${tool} again with only the expected arguments, each of the declared type.`,
      'Leave out optional arguments you have no value for instead of sending null or empty values.',
    ],
    retryable: true,
    context: { tool, problems: [...problems], expected_arguments: expectedArguments(inputJsonSchema) },
  });
}
