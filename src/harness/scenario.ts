import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { DATASET_NOW, parseInstant } from '../shared/clock.ts';
import { ServerConfigSchema } from '../orchestrator/config.ts';
import { MAX_ITERATIONS } from '../orchestrator/constants.ts';

/**
 * An expected argument value. A plain JSON value must be equal; these objects match more
 * loosely: `{"$regex": "^TKT-"}`, `{"$any": true}` (present, any value), and
 * `{"$oneOf": [...]}` (any listed value, BFCL-style).
 */
function compiles(matcher: { $regex: string; $flags?: string | undefined }): boolean {
  try {
    new RegExp(matcher.$regex, matcher.$flags);
    return true;
  } catch {
    return false;
  }
}

const RegexMatcherSchema = z
  .object({ $regex: z.string().min(1), $flags: z.string().regex(/^[dgimsuvy]*$/).optional() })
  .strict()
  .refine(compiles, 'not a valid JavaScript regular expression (use $flags for flags such as "i", not inline (?i))');

const MATCHERS = {
  $regex: RegexMatcherSchema,
  $any: z.object({ $any: z.literal(true) }).strict(),
  $oneOf: z.object({ $oneOf: z.array(z.unknown()).min(1) }).strict(),
} as const;

/** A plain JSON value (must be equal) or a matcher object, checked when the file is loaded. */
export const ValueMatcherSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, schema] of Object.entries(MATCHERS)) {
      if (!Object.hasOwn(value, key)) continue;
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${key} matcher: ${issue.message}`, path: issue.path });
      }
      return;
    }
  })
  .describe('A JSON value that must be equal, or {"$regex": "...", "$flags": "i"}, {"$any": true}, {"$oneOf": [...]}.');

const ExpectedCallSchema = z
  .object({
    name: z.string().min(1).describe('Tool name as the model sees it.'),
    args: z.record(z.string(), ValueMatcherSchema).optional().describe('Expected arguments; values may be matchers.'),
    args_match: z.enum(['exact', 'partial']).default('partial').describe('exact: no other arguments allowed.'),
  })
  .strict();

const CountSchema = z.object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).strict();

const ToolsExpectationSchema = z
  .object({
    mode: z
      .enum(['exact', 'in_order', 'unordered', 'subset', 'superset', 'any_of'])
      .default('in_order')
      .describe('exact: these calls and no others, in order; in_order: in this order, others allowed between; unordered: these calls and no others, any order; subset: all of these, others allowed; superset: nothing outside these; any_of: at least one of these.'),
    calls: z.array(ExpectedCallSchema).default([]),
    count: CountSchema.optional().describe('Bounds on the total number of tool calls.'),
    per_tool: z.record(z.string(), CountSchema).optional().describe('Bounds on calls per tool name.'),
    forbidden: z.array(z.string()).optional().describe('Tools that must not be called.'),
  })
  .strict();

const TextMatcherSchema = z.union([z.string(), RegexMatcherSchema]);

const ErrorExpectationSchema = z
  .object({
    tool: z.string().min(1).describe('The tool whose call must have returned an error envelope.'),
    envelope: z
      .object({
        error: TextMatcherSchema.optional(),
        retryable: z.boolean().optional(),
        follow_up_tools: z.array(z.string()).optional().describe('Each must be listed in the envelope.'),
        context: z.record(z.string(), ValueMatcherSchema).optional(),
      })
      .strict()
      .optional(),
    then_called: z.string().optional().describe('A tool the model called after receiving the envelope.'),
  })
  .strict();

const LatencySchema = z
  .object({
    startup_ms: z.number().positive().optional(),
    discovery_ms: z.number().positive().optional(),
    tool_call_ms: z.number().positive().optional(),
    query_ms: z.number().positive().optional(),
  })
  .strict();

/** A scripted model turn for authoring a cassette without a live model. */
export const ScriptTurnSchema = z.union([
  z.object({ tool_calls: z.array(z.object({ name: z.string(), arguments: z.unknown(), id: z.string().optional() }).strict()).min(1), content: z.string().optional() }).strict(),
  z.object({ answer: z.string() }).strict(),
  z.object({ error: z.object({ status: z.number().int().min(400).max(599), message: z.string() }).strict() }).strict(),
]);

/** One scenario file. */
export const ScenarioSchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'lower-case letters, digits and "-"').describe('Stable ID; names the cassette.'),
    description: z.string().min(1),
    tags: z.array(z.string()).default([]),
    turns: z.array(z.string().min(1)).min(1).describe('The user turns, in order; later turns continue the conversation.'),
    now: z.string().default(DATASET_NOW).refine((v) => { try { parseInstant(v); return true; } catch { return false; } }, 'must be an ISO-8601 instant').describe('The pinned clock.'),
    model: z.object({ name: z.string().optional(), max_iterations: z.number().int().min(1).max(50).default(MAX_ITERATIONS) }).strict().default({ max_iterations: MAX_ITERATIONS }),
    servers: z.record(z.string(), ServerConfigSchema).optional().describe('Extra or replaced servers (mcpServers format) for this scenario.'),
    tool_timeout_ms: z.number().int().positive().optional(),
    script: z.array(ScriptTurnSchema).optional().describe('Model turns used to author the cassette without a live model.'),
    expect: z
      .object({
        tools: ToolsExpectationSchema.optional(),
        errors: z.array(ErrorExpectationSchema).optional(),
        stop_reason: z.enum(['final_answer', 'max_iterations', 'model_error', 'aborted']).default('final_answer'),
        iterations: z.object({ max: z.number().int().min(1).optional(), exact: z.number().int().min(1).optional() }).strict().optional(),
        answer: z
          .object({
            contains: z.array(z.string()).optional(),
            not_contains: z.array(z.string()).optional(),
            matches: z.string().refine((r) => compiles({ $regex: r }), 'not a valid JavaScript regular expression').optional(),
          })
          .strict()
          .optional(),
        latency: LatencySchema.optional(),
        min_pass_k: z.number().min(0).max(1).optional().describe('Minimum pass^k over trials (live runs).'),
      })
      .strict(),
  })
  .strict();

export type Scenario = z.output<typeof ScenarioSchema>;
export type ToolsExpectation = z.output<typeof ToolsExpectationSchema>;
export type ExpectedCall = z.output<typeof ExpectedCallSchema>;
export type ErrorExpectation = z.output<typeof ErrorExpectationSchema>;
export type ScriptTurn = z.output<typeof ScriptTurnSchema>;

/** A scenario with the file it came from. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
}

/** A scenario file that could not be used; names the file and the bad path. */
export class ScenarioFileError extends Error {
  readonly file: string;
  constructor(file: string, problems: readonly string[]) {
    super(`${file}:\n  ${problems.join('\n  ')}`);
    this.name = new.target.name;
    this.file = file;
  }
}

/** Reads and validates one scenario file; unknown fields and bad values throw with their path. */
export function loadScenarioFile(file: string, root: string = process.cwd()): LoadedScenario {
  const shown = relative(root, file) || file;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioFileError(shown, [(error as Error).message]);
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioFileError(
      shown,
      parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`),
    );
  }
  if (basename(file) !== `${parsed.data.id}.json`) {
    throw new ScenarioFileError(shown, [`id "${parsed.data.id}" must match the file name (${parsed.data.id}.json)`]);
  }
  return { scenario: parsed.data, file };
}

/** Which scenarios to run. */
export interface ScenarioFilter {
  readonly ids?: readonly string[];
  readonly tags?: readonly string[];
  readonly files?: readonly string[];
}

/** Every scenario file in `dir` (sorted by id), filtered; all files are validated first. */
export function loadScenarios(dir: string, filter: ScenarioFilter = {}, root: string = process.cwd()): LoadedScenario[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
    .sort()
    .map((name) => join(dir, name));
  const errors: string[] = [];
  const loaded: LoadedScenario[] = [];
  for (const file of files) {
    try {
      loaded.push(loadScenarioFile(file, root));
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  if (errors.length > 0) throw new ScenarioFileError(relative(root, dir) || dir, errors);
  return loaded.filter(({ scenario, file }) => {
    if (filter.ids?.length && !filter.ids.includes(scenario.id)) return false;
    if (filter.tags?.length && !filter.tags.some((tag) => scenario.tags.includes(tag))) return false;
    if (filter.files?.length && !filter.files.some((f) => resolve(f) === file || file.endsWith(`${sep}${f}`))) return false;
    return true;
  });
}

/** The JSON Schema of scenario files, for editor autocompletion (scenarios/scenario.schema.json). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
