import { gradeErrors, gradeTools } from '../harness/grading/graders.ts';
import { gradeGroundedness } from '../harness/grading/groundedness.ts';
import { matchArguments, matchText } from '../harness/grading/matchers.ts';
import type { ScenarioRun } from '../harness/run/scenario-run.ts';
import type { ScenarioResult } from '../harness/results/scenario-result.ts';
import { ErrorExpectationSchema, ToolsExpectationSchema } from '../harness/scenario/scenario.ts';

/** How a list of tool names is held against the calls, as a scenario's `expect.tools.mode`. */
export type ToolsMode = 'exact' | 'in_order' | 'unordered' | 'subset' | 'superset' | 'any_of';

/** The envelope a tool's call must have returned, as a scenario's `expect.errors[].envelope`. */
export interface EnvelopeExpectation {
  readonly error?: string | { readonly $regex: string; readonly $flags?: string };
  readonly retryable?: boolean;
  readonly follow_up_tools?: readonly string[];
  readonly context?: Readonly<Record<string, unknown>>;
}

interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

function runOf(received: unknown): ScenarioRun {
  const run = (received as Partial<ScenarioResult> | undefined)?.run ?? (received as ScenarioRun | undefined);
  if (!run || !Array.isArray((run as ScenarioRun).calls)) {
    throw new TypeError('expected a scenario result (from SuiteSession.runCase or useHelpdesk().run) or its run');
  }
  return run as ScenarioRun;
}

/** The check as vitest wants it; `.not` gets the same reason, stated the other way round. */
function result(check: { pass: boolean; reason: string }, what: string): MatcherResult {
  return {
    pass: check.pass,
    message: () => (check.pass ? `expected the run not to have ${what}, but it did: ${check.reason}` : check.reason),
  };
}

const answer = (run: ScenarioRun) => run.transcripts.at(-1)?.answer ?? '';

/**
 * Matchers over a scenario's run, graded by the same code as a scenario file's expectations, so a
 * failure reads as `helpdesk eval` reports it (expected vs actual).
 */
export const helpdeskMatchers = {
  /** The run's tool calls hold these names in the given mode (default in_order: this order, others allowed between). */
  toHaveCalledTools(received: unknown, names: readonly string[], mode: ToolsMode = 'in_order'): MatcherResult {
    const expectation = ToolsExpectationSchema.parse({ mode, calls: names.map((name) => ({ name })) });
    const checks = gradeTools([expectation], runOf(received).calls);
    const failed = checks.find((c) => !c.pass);
    return result(failed ?? { pass: true, reason: checks.map((c) => c.reason).join('; ') }, `called [${names.join(', ')}] (${mode})`);
  },

  /** Some call of `tool` had these arguments (partial: these keys match; exact: these and no others). */
  toHaveCalledToolWith(
    received: unknown,
    tool: string,
    args: Record<string, unknown>,
    mode: 'partial' | 'exact' = 'partial',
  ): MatcherResult {
    const calls = runOf(received).calls.filter((c) => c.name === tool);
    if (calls.length === 0) return result({ pass: false, reason: `expected a call of ${tool}, but it was not called` }, `called ${tool}`);
    const checks = calls.map((c) => matchArguments(args, c.arguments, mode));
    const hit = checks.find((c) => c.pass);
    return result(
      hit ?? { pass: false, reason: `${tool}: ${checks.map((c) => c.reason).join('; ')}` },
      `called ${tool} with these arguments`,
    );
  },

  /** A call of `tool` returned an error envelope (matching `envelope` when given) and the model received it. */
  toHaveReturnedEnvelope(received: unknown, tool: string, envelope?: EnvelopeExpectation): MatcherResult {
    const expectation = ErrorExpectationSchema.parse({ tool, ...(envelope ? { envelope } : {}) });
    const [check] = gradeErrors([expectation], runOf(received));
    return result(check ?? { pass: false, reason: 'no check' }, `an error envelope from ${tool}`);
  },

  /** Every ID, amount, date and count the final answer states appears in what the tools returned or the user said. */
  toHaveGroundedAnswer(received: unknown, ignore: readonly string[] = []): MatcherResult {
    const run = runOf(received);
    return result(gradeGroundedness(run.transcripts, run.requests, ignore), 'a grounded answer');
  },

  /** The final answer contains this text (case-insensitive) or matches this pattern. */
  toHaveAnswerMatching(received: unknown, expected: string | RegExp): MatcherResult {
    const pattern = typeof expected === 'string' ? expected : { $regex: expected.source, $flags: expected.flags };
    return result(matchText(pattern, answer(runOf(received))), `an answer matching ${String(expected)}`);
  },
};

/** The matchers' signatures on vitest's `expect(...)`. */
export interface HelpdeskMatchers<R = unknown> {
  toHaveCalledTools(names: readonly string[], mode?: ToolsMode): R;
  toHaveCalledToolWith(tool: string, args: Record<string, unknown>, mode?: 'partial' | 'exact'): R;
  toHaveReturnedEnvelope(tool: string, envelope?: EnvelopeExpectation): R;
  toHaveGroundedAnswer(ignore?: readonly string[]): R;
  toHaveAnswerMatching(expected: string | RegExp): R;
}
