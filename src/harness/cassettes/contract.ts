import { Ajv, type ValidateFunction } from 'ajv';
import { canonicalJson } from './cassette.ts';
import { renamedKeys } from './json-diff.ts';

/** A tool call as a recorded model response made it. */
export interface RecordedCall {
  readonly name: string;
  readonly arguments: string;
}

/** A recorded call the current tools would refuse: the recorded agent would now fail. */
export interface ContractBreak {
  readonly tool: string;
  /** The call as recorded, `name({...})`. */
  readonly call: string;
  /** Where the arguments fail the current schema, and why (JSON pointer into the arguments and the schema). */
  readonly problem: string;
}

type ToolDef = { function?: { name?: string; parameters?: unknown } };

// One validator per distinct schema for the life of the process: compiling is the expensive part.
const ajv = new Ajv({ strict: false, allErrors: false });
const compiled = new Map<string, ValidateFunction>();

function validator(schema: unknown): ValidateFunction | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const key = canonicalJson(schema);
  let validate = compiled.get(key);
  if (!validate) {
    try {
      validate = ajv.compile(schema as object);
    } catch {
      return undefined;
    }
    compiled.set(key, validate);
  }
  return validate;
}

/** A schema without its descriptions and titles: what changes the contract rather than the wording. */
export function schemaShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(schemaShape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, v]) => !((key === 'description' || key === 'title') && typeof v === 'string'))
        .map(([k, v]) => [k, schemaShape(v)]),
    );
  }
  return value;
}

const properties = (schema: unknown): Record<string, unknown> => {
  const props = (schema as { properties?: unknown } | undefined)?.properties;
  return props && typeof props === 'object' && !Array.isArray(props) ? (schemaShape(props) as Record<string, unknown>) : {};
};

/** Arguments renamed between two schemas: one removed and one added with the same schema. */
function renamedArguments(recorded: unknown, current: unknown): Map<string, string> {
  return renamedKeys(properties(recorded), properties(current));
}

function byName(tools: unknown): Map<string, ToolDef> {
  return new Map(((Array.isArray(tools) ? tools : []) as ToolDef[]).map((t) => [t.function?.name ?? '?', t]));
}

function describeError(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  if (!error) return 'does not validate';
  const where = error.instancePath || '(arguments)';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` "${String((error.params as { additionalProperty?: unknown }).additionalProperty)}"`
      : error.keyword === 'required'
        ? ` ("${String((error.params as { missingProperty?: unknown }).missingProperty)}")`
        : error.keyword === 'enum'
          ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
          : '';
  return `${where} ${error.message ?? 'is invalid'}${extra} (schema ${error.schemaPath})`;
}

/**
 * The recorded calls that the tools offered then accepted and the tools offered now refuse: a
 * removed tool, a renamed or removed argument, a narrowed enum or pattern. Calls the recording
 * itself got wrong (an unknown tool, invalid arguments, malformed JSON) are not contract changes.
 */
export function contractBreaks(calls: readonly RecordedCall[], recordedTools: unknown, currentTools: unknown): ContractBreak[] {
  const before = byName(recordedTools);
  const after = byName(currentTools);
  const breaks: ContractBreak[] = [];
  for (const call of calls) {
    const then = before.get(call.name);
    if (!then) continue;
    let args: unknown;
    try {
      args = JSON.parse(call.arguments || '{}');
    } catch {
      continue;
    }
    const shown = `${call.name}(${JSON.stringify(args)})`;
    const wasValid = validator(then.function?.parameters);
    if (wasValid && !wasValid(args)) continue;
    const now = after.get(call.name);
    if (!now) {
      breaks.push({ tool: call.name, call: shown, problem: `the tool ${call.name} is no longer offered` });
      continue;
    }
    const isValid = validator(now.function?.parameters);
    if (!isValid || isValid(args)) continue;
    const renames = renamedArguments(then.function?.parameters, now.function?.parameters);
    const renamed = (args && typeof args === 'object' ? Object.keys(args) : []).find((key) => renames.has(key));
    const problem = renamed === undefined ? describeError(isValid) : `the argument "${renamed}" is now "${renames.get(renamed)}"`;
    breaks.push({ tool: call.name, call: shown, problem });
  }
  return breaks;
}
