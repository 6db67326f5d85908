import type { GraderOutput } from './grader.ts';

/** Checks a grader's return value; a wrong shape is a failed check that says what came back. */
export function readOutput(value: unknown): GraderOutput | string {
  if (!value || typeof value !== 'object') return `the grader returned ${JSON.stringify(value)}, not { pass, message }`;
  const { pass, score, message } = value as Record<string, unknown>;
  if (typeof pass !== 'boolean') return 'the grader returned no boolean "pass"';
  if (score !== undefined && (typeof score !== 'number' || !(score >= 0 && score <= 1)))
    return `the grader's score ${JSON.stringify(score)} is not a number from 0 to 1`;
  return { pass, message: typeof message === 'string' ? message : '', ...(score === undefined ? {} : { score }) };
}
