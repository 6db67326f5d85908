import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { z } from 'zod';
import { DATASET_NOW, parseInstant } from '../../shared/clock.ts';
import { ServerConfigSchema } from '../../orchestrator/config.ts';
import { ConfigError } from '../../orchestrator/errors.ts';
import { MAX_ITERATIONS } from '../../orchestrator/constants.ts';
import { ModelSettingsSchema } from '../../orchestrator/model-client.ts';
import { STOP_REASONS } from '../../orchestrator/transcript.ts';
import { FaultSchema } from '../faults/fault.ts';
import { describeIssues, parseScenarioSource, scenarioFileId, SourceError } from './source.ts';
import { patternProblem } from './user-pattern.ts';

/**
 * An expected argument value. A plain JSON value must be equal; these objects match more
 * loosely: `{"$regex": "^TKT-"}` (RE2 syntax: linear time, so no backreferences or lookaround),
 * `{"$any": true}` (present, any value), and `{"$oneOf": [...]}` (any listed value, BFCL-style).
 */
const RegexMatcherSchema = z
  .object({ $regex: z.string().min(1), $flags: z.string().optional().describe('i, m, s and u, as in JavaScript.') })
  .strict()
  .superRefine((matcher, ctx) => {
    const problem = patternProblem(matcher.$regex, matcher.$flags);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: problem.startsWith('flag') ? ['$flags'] : ['$regex'] });
  });

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
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: 'custom', message: `${key} matcher: ${issue.message}`, path: issue.path });
      }
      return;
    }
  })
  .describe('A JSON value that must be equal, or {"$regex": "...", "$flags": "i"}, {"$any": true}, {"$oneOf": [...]}.');

const ExpectedCallSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .optional()
      .describe('Tool name as the model sees it; leave it out to accept a call of any tool that has these arguments.'),
    args: z.record(z.string(), ValueMatcherSchema).optional().describe('Expected arguments; values may be matchers.'),
    args_match: z.enum(['exact', 'partial']).default('partial').describe('exact: no other arguments allowed.'),
    malformed_arguments: z
      .literal(true)
      .optional()
      .describe(
        'Expect a call whose arguments were not one JSON object (it never reached a server). Such calls are left out of an expectation unless it lists one of these.',
      ),
  })
  .strict()
  .refine((call) => !(call.malformed_arguments && call.args), {
    path: ['args'],
    message: 'a call with malformed_arguments has no arguments to expect',
  });

const CountSchema = z.object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).strict();

export const ToolsExpectationSchema = z
  .object({
    mode: z
      .enum(['exact', 'in_order', 'unordered', 'subset', 'superset', 'any_of'])
      .default('in_order')
      .describe(
        'exact: these calls and no others, in order; in_order: in this order, others allowed between; unordered: these calls and no others, any order; subset: all of these, others allowed; superset: nothing outside these; any_of: at least one of these.',
      ),
    calls: z.array(ExpectedCallSchema).default([]),
    count: CountSchema.optional().describe('Bounds on the total number of tool calls.'),
    per_tool: z.record(z.string(), CountSchema).optional().describe('Bounds on calls per tool name.'),
    forbidden: z.array(z.string()).optional().describe('Tools that must not be called.'),
  })
  .strict();

/** One expectation or several, all of which must hold (e.g. an any_of beside argument checks). */
function oneOrMany<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.array(schema).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);
}

const TextMatcherSchema = z.union([z.string(), RegexMatcherSchema]);

export const ErrorExpectationSchema = z
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

const WeightSchema = z.number().min(0).describe('Weight of this check in the scenario score (default 1; 0 leaves it out of the score).');

const JudgeSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "_" and "-"')
      .optional()
      .describe('Names the check judge:<name> (default: judge, judge-2, ...).'),
    rubric: z.string().min(1).describe('What a good answer does, in words the judge model grades against.'),
    reference: z.string().min(1).optional().describe('A reference answer the judge compares with.'),
    threshold: z.number().min(0).max(1).optional().describe("Minimum score to pass; without it the judge's own pass/fail decides."),
    model: z.string().min(1).optional().describe("The judge model (default: HELPDESK_JUDGE_MODEL, else the agent's model)."),
    weight: WeightSchema.optional(),
  })
  .strict();

const CustomGraderSchema = z
  .object({
    module: z.string().min(1).describe('A TypeScript or JavaScript module, relative to the scenario file.'),
    export: z.string().min(1).default('default').describe('The exported grader function.'),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/)
      .optional()
      .describe('Names the check custom:<name> (default: the module file name).'),
    options: z.record(z.string(), z.unknown()).optional().describe('Handed to the grader as input.options.'),
    weight: WeightSchema.optional(),
    timeout_ms: z
      .number()
      .int()
      .positive()
      .max(600_000)
      .optional()
      .describe('How long the grader may take (default 30,000 ms); past it the grader is stopped and its check fails.'),
  })
  .strict();

const StopReasonSchema = z.enum(STOP_REASONS);

/** A scripted model turn for authoring a cassette without a live model; `judge` turns answer the judge. */
export const ScriptTurnSchema = z.union([
  z
    .object({
      tool_calls: z.array(z.object({ name: z.string(), arguments: z.unknown(), id: z.string().optional() }).strict()).min(1),
      content: z.string().optional(),
    })
    .strict(),
  z.object({ answer: z.string() }).strict(),
  z.object({ error: z.object({ status: z.number().int().min(400).max(599), message: z.string() }).strict() }).strict(),
  z
    .object({
      judge: z.object({ score: z.number().min(0).max(1), pass: z.boolean(), reasons: z.array(z.string()).default([]) }).strict(),
    })
    .strict()
    .describe('The verdict the judge gives (authoring only; a live judge is asked in record mode).'),
]);

const TurnsSchema = z.array(z.string().min(1)).min(1);

const VariationSchema = z.union([
  z.string().min(1).describe('A one-turn phrasing of the question.'),
  z
    .object({
      id: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and "-"')
        .optional()
        .describe('Names the case <scenario>.<id> and its cassette (default v1, v2, ...).'),
      turns: TurnsSchema,
      script: z.array(ScriptTurnSchema).optional().describe("This phrasing's model turns for authoring (default: the scenario's script)."),
    })
    .strict(),
]);

/** One scenario file. */
export const ScenarioSchema = z
  .object({
    $schema: z.string().optional(),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'lower-case letters, digits and "-"')
      .describe('Stable ID; names the cassette.'),
    description: z.string().min(1),
    tags: z.array(z.string()).default([]),
    turns: TurnsSchema.optional().describe('The user turns, in order; later turns continue the conversation. Give turns or variations.'),
    variations: z
      .array(VariationSchema)
      .min(1)
      .optional()
      .describe('Several phrasings of the question, each run, recorded and reported as its own case <id>.<variation>.'),
    now: z
      .string()
      .default(DATASET_NOW)
      .refine((v) => {
        try {
          parseInstant(v);
          return true;
        } catch {
          return false;
        }
      }, 'must be an ISO-8601 instant')
      .describe('The pinned clock.'),
    model: ModelSettingsSchema.extend({
      name: z.string().optional(),
      max_iterations: z.number().int().min(1).max(50).default(MAX_ITERATIONS),
    })
      .strict()
      .default({ max_iterations: MAX_ITERATIONS })
      .describe("The model of this scenario: its name, its iteration cap, and sampling settings over the config's `model`."),
    servers: z
      .record(z.string(), ServerConfigSchema)
      .optional()
      .describe('Extra or replaced servers (mcpServers format) for this scenario.'),
    tool_timeout_ms: z.number().int().positive().optional(),
    faults: z
      .array(FaultSchema)
      .min(1)
      .optional()
      .describe('Failures injected between the orchestrator and the servers during this scenario (each run gets fresh servers).'),
    script: z.array(ScriptTurnSchema).optional().describe('Model turns used to author the cassette without a live model.'),
    expect: z
      .object({
        tools: oneOrMany(ToolsExpectationSchema).optional().describe('One tools expectation, or a list that must all hold.'),
        errors: z.array(ErrorExpectationSchema).optional(),
        stop_reason: z
          .union([StopReasonSchema, z.array(StopReasonSchema).min(1), z.literal('any')])
          .default('final_answer')
          .describe('How the last turn must end: one reason, any of a list, or "any" to leave it ungraded.'),
        iterations: z
          .object({ max: z.number().int().min(1).optional(), exact: z.number().int().min(1).optional() })
          .strict()
          .optional(),
        answer: z
          .object({
            contains: z.array(z.string()).optional(),
            not_contains: z.array(z.string()).optional(),
            matches: z
              .string()
              .superRefine((r, ctx) => {
                const problem = patternProblem(r);
                if (problem) ctx.addIssue({ code: 'custom', message: problem });
              })
              .optional()
              .describe('A pattern in RE2 syntax (linear time: no backreferences or lookaround) the answer must match somewhere.'),
          })
          .strict()
          .optional(),
        grounded: z
          .union([z.boolean(), z.object({ ignore: z.array(z.string().min(1)).min(1) }).strict()])
          .default(true)
          .describe(
            'Every ID, amount, date and stated count of the answer must appear in what the tools returned or the user said (on by default); false turns it off, ignore lists tokens to skip.',
          ),
        judge: oneOrMany(JudgeSchema)
          .optional()
          .describe('Model-graded checks of the answer (LLM as judge), recorded and replayed with the cassette.'),
        custom: z.array(CustomGraderSchema).optional().describe('Graders of your own: modules exporting a function of the run.'),
        weights: z
          .record(z.string(), z.number().min(0))
          .optional()
          .describe('Weights of built-in checks in the score, by check name or its prefix (tools, answer, grounded, latency, ...).'),
        score_threshold: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe('Pass when the weighted score reaches this, instead of when every check passes.'),
        latency: LatencySchema.optional(),
        min_pass_k: z.number().min(0).max(1).optional().describe('Minimum pass^k over trials (live runs).'),
      })
      .strict(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.turns === undefined) === (value.variations === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['turns'], message: 'give either turns or variations (one of them, not both)' });
    }
    if (value.variations && value.script) {
      ctx.addIssue({ code: 'custom', path: ['script'], message: 'with variations, give each variation its own script' });
    }
    const ids = (value.variations ?? []).map((v, i) => (typeof v === 'string' ? `v${i + 1}` : (v.id ?? `v${i + 1}`)));
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) ctx.addIssue({ code: 'custom', path: ['variations'], message: `variation id "${twice}" is used twice` });
  });

/** A scenario file as written: turns, or variations of them. */
export type ScenarioFile = z.output<typeof ScenarioSchema>;

/** One runnable case: a scenario file without variations, or one variation of it. */
export type Scenario = Omit<ScenarioFile, 'turns' | 'variations'> & { readonly turns: readonly string[] };
export type ToolsExpectation = z.output<typeof ToolsExpectationSchema>;
export type JudgeExpectation = z.output<typeof JudgeSchema>;
export type CustomGraderExpectation = z.output<typeof CustomGraderSchema>;
export type ExpectedCall = z.output<typeof ExpectedCallSchema>;
export type ErrorExpectation = z.output<typeof ErrorExpectationSchema>;
export type ScriptTurn = z.output<typeof ScriptTurnSchema>;

/** Which variation of a scenario a case is. */
export interface VariationOf {
  /** The scenario file's ID: the intent the variations phrase. */
  readonly scenario: string;
  /** The variation's ID (v1, v2, ... unless named). */
  readonly variation: string;
  /** Its place in the file's list, from 1 (reports keep the author's order). */
  readonly index: number;
  /** The first user turn: the phrasing. */
  readonly text: string;
}

/** A scenario (or one variation of it) with the file it came from. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
  /** Set for the cases of a scenario with variations. */
  readonly variation?: VariationOf | undefined;
}

/** The runnable cases of a scenario file: itself, or one per variation (`<id>.<variation>`). */
export function expandVariations(file: ScenarioFile): { scenario: Scenario; variation?: VariationOf }[] {
  const { turns, variations, ...rest } = file;
  if (!variations) return [{ scenario: { ...rest, turns: turns ?? [] } }];
  return variations.map((v, i) => {
    const variation = typeof v === 'string' ? { id: `v${i + 1}`, turns: [v], script: undefined } : { ...v, id: v.id ?? `v${i + 1}` };
    const scenario: Scenario = {
      ...rest,
      id: `${file.id}.${variation.id}`,
      turns: variation.turns,
      ...(variation.script ? { script: variation.script } : {}),
    };
    return { scenario, variation: { scenario: file.id, variation: variation.id, index: i + 1, text: variation.turns[0] as string } };
  });
}

/** A scenario file that could not be used; names the file and the bad path. */
export class ScenarioFileError extends ConfigError {
  readonly file: string;
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super(`${file}:\n  ${problems.join('\n  ')}`, undefined, 'invalid_scenario_file');
    this.file = file;
    this.problems = problems;
  }
}

/** Parses a scenario without variations (tests, saved conversations); throws on anything else. */
export function parseScenario(raw: unknown): Scenario {
  const cases = expandVariations(ScenarioSchema.parse(raw));
  if (cases.length !== 1 || !cases[0] || cases[0].variation) throw new Error('parseScenario takes a scenario without variations');
  return cases[0].scenario;
}

/** Where a "__proto__" key stands in parsed JSON or YAML (as an own key; the path ends with it). */
function protoKeys(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => protoKeys(item, [...path, i]));
  if (!value || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => [
    ...(key === '__proto__' ? [[...path, key]] : []),
    ...protoKeys((value as Record<string, unknown>)[key], [...path, key]),
  ]);
}

/** Reads and validates one scenario file; unknown fields and bad values throw with their path. */
export function readScenarioFile(file: string, root: string = process.cwd()): ScenarioFile {
  const shown = relative(root, file) || file;
  let raw: unknown;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    raw = parseScenarioSource(file, text);
  } catch (error) {
    throw new ScenarioFileError(shown, error instanceof SourceError ? error.problems : [(error as Error).message]);
  }
  const proto = protoKeys(raw);
  if (proto.length > 0) {
    throw new ScenarioFileError(
      shown,
      describeIssues(
        text,
        proto.map((path) => ({
          path,
          message: '"__proto__" cannot be a key: a JavaScript object drops it, so what it holds would check nothing',
        })),
      ),
    );
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioFileError(
      shown,
      describeIssues(
        text,
        parsed.error.issues.map((issue) => ({
          path: issue.path,
          message: issue.message,
          ...(issue.code === 'unrecognized_keys' ? { keys: issue.keys } : {}),
        })),
      ),
    );
  }
  const name = basename(file);
  if (scenarioFileId(name) !== parsed.data.id) {
    throw new ScenarioFileError(
      shown,
      describeIssues(text, [
        { path: ['id'], message: `"${parsed.data.id}" must match the file name (${name} declares ${scenarioFileId(name)})` },
      ]),
    );
  }
  return parsed.data;
}

/** The runnable cases of one scenario file: the scenario, or one case per variation. */
export function loadScenarioCases(file: string, root: string = process.cwd()): LoadedScenario[] {
  return expandVariations(readScenarioFile(file, root)).map((c) => ({ ...c, file }));
}

/** Reads a scenario file that has no variations (one case). */
export function loadScenarioFile(file: string, root: string = process.cwd()): LoadedScenario {
  const cases = loadScenarioCases(file, root);
  if (cases.length !== 1 || cases[0]?.variation) {
    throw new ScenarioFileError(relative(root, file) || file, [`has ${cases.length} variations; load its cases with loadScenarioCases`]);
  }
  return cases[0] as LoadedScenario;
}

/** The JSON Schema of scenario files, for editor autocompletion (scenarios/scenario.schema.json). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** The text of scenario.schema.json, as this repository's and every `helpdesk init` project's scenarios folder holds it. */
export function scenarioSchemaText(): string {
  return `${JSON.stringify({ title: 'mcp-helpdesk scenario', ...scenarioJsonSchema() }, null, 2)}\n`;
}
