import { isAbsolute, resolve, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChatRequest } from '../../orchestrator/chat.ts';
import type { Transcript } from '../../orchestrator/transcript.ts';
import type { CustomGraderExpectation } from '../scenario.ts';
import type { GradeResult, ObservedCall } from './run.ts';

/** What a custom grader receives: the run as the built-in graders see it. */
export interface GraderInput {
  /** The scenario's ID (for a variation, `<scenario>.<variation>`). */
  readonly scenarioId: string;
  /** The user's turns, in order. */
  readonly turns: readonly string[];
  /** One transcript per turn: every model response, tool call and tool result, with timings. */
  readonly transcripts: readonly Transcript[];
  /** The tool calls in the order the model made them, with arguments, results and envelopes. */
  readonly calls: readonly ObservedCall[];
  /** The tool results as the model received them (the tool messages' text), by tool-call ID. */
  readonly results: ReadonlyMap<string, string>;
  /** The final answer of the last turn ('' when the run ended without one). */
  readonly answer: string;
  /** The requests the model received. */
  readonly requests: readonly ChatRequest[];
  /** The `options` object the scenario gives this grader. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What a custom grader returns. `score` (0 to 1) defaults to 1 when it passes, 0 when not. */
export interface GraderOutput {
  readonly pass: boolean;
  readonly score?: number;
  readonly message: string;
}

/** A custom grader: a pure function of the run, sync or async. */
export type Grader = (input: GraderInput) => GraderOutput | Promise<GraderOutput>;

/** Declares a grader with its types checked (`export default defineGrader((run) => ...)`). */
export function defineGrader(grader: Grader): Grader {
  return grader;
}

/** A custom grader a scenario names (`expect.custom`). */
export type CustomGraderSpec = CustomGraderExpectation;

/** The module path of a grader, relative to the scenario file's folder unless absolute. */
export function graderPath(spec: CustomGraderSpec, scenarioFile: string): string {
  return isAbsolute(spec.module) ? spec.module : resolve(dirname(scenarioFile), spec.module);
}

/** The check name of a custom grader: `custom:<name>`, by default the module's file name. */
export function customCheckName(spec: CustomGraderSpec): string {
  const base = spec.name ?? spec.module.replace(/^.*[\\/]/, '').replace(/\.[cm]?[jt]s$/, '');
  return `custom:${base}${spec.export === 'default' ? '' : `#${spec.export}`}`;
}

/** Loads a grader; an Error says which file or export is wrong. */
export async function loadGrader(spec: CustomGraderSpec, scenarioFile: string): Promise<Grader> {
  const path = graderPath(spec, scenarioFile);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load grader ${path}: ${(error as Error).message}`);
  }
  const grader = module[spec.export];
  if (typeof grader !== 'function') {
    throw new Error(`${path} has no function export "${spec.export}" (exports: ${Object.keys(module).join(', ') || 'none'})`);
  }
  return grader as Grader;
}

/** Checks a grader's return value; a wrong shape is a failed check that says what came back. */
export function readOutput(value: unknown): GraderOutput | string {
  if (!value || typeof value !== 'object') return `the grader returned ${JSON.stringify(value)}, not { pass, message }`;
  const { pass, score, message } = value as Record<string, unknown>;
  if (typeof pass !== 'boolean') return 'the grader returned no boolean "pass"';
  if (score !== undefined && (typeof score !== 'number' || !(score >= 0 && score <= 1))) return `the grader's score ${JSON.stringify(score)} is not a number from 0 to 1`;
  return { pass, message: typeof message === 'string' ? message : '', ...(score === undefined ? {} : { score }) };
}

/**
 * Runs a scenario's custom graders on one run. A grader that cannot be loaded, throws or returns
 * the wrong shape is a failed check saying so; it never stops the other checks.
 */
export async function gradeCustom(
  specs: readonly CustomGraderSpec[], scenarioFile: string, input: Omit<GraderInput, 'options'>,
): Promise<GradeResult[]> {
  const results: GradeResult[] = [];
  for (const spec of specs) {
    const name = customCheckName(spec);
    const weight = spec.weight === undefined ? {} : { weight: spec.weight };
    let output: GraderOutput | string;
    try {
      const grader = await loadGrader(spec, scenarioFile);
      output = readOutput(await grader({ ...input, options: spec.options ?? {} }));
    } catch (error) {
      output = `the grader failed: ${(error as Error).message}`;
    }
    results.push(typeof output === 'string'
      ? { name, pass: false, reason: output, score: 0, ...weight }
      : { name, pass: output.pass, reason: output.message || (output.pass ? 'passed' : 'failed'), ...(output.score === undefined ? {} : { score: output.score }), ...weight });
  }
  return results;
}
