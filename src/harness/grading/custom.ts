import { statSync } from 'node:fs';
import { isAbsolute, resolve, dirname } from 'node:path';
import type { CustomGraderExpectation } from '../scenario/scenario.ts';
import type { GradeResult } from './score.ts';
import { GRADER_MODULE_MAX_BYTES, GRADER_TIMEOUT_MS } from './grader-limits.ts';
import { GraderPool } from './grader-pool.ts';
import type { GraderInput, GraderOutput } from './grader.ts';

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

/** What kind of file a path is, in words, when it is not a regular file (a grader module must be one). */
function notAFile(path: string): string | undefined {
  const stats = statSync(path);
  if (stats.isFile())
    return stats.size > GRADER_MODULE_MAX_BYTES
      ? `it is ${(stats.size / 1024 / 1024).toFixed(1)} MB; a grader module may be at most ${GRADER_MODULE_MAX_BYTES / 1024 / 1024} MB`
      : undefined;
  const kind = stats.isDirectory()
    ? 'a directory'
    : stats.isFIFO()
      ? 'a FIFO'
      : stats.isCharacterDevice()
        ? 'a character device'
        : stats.isBlockDevice()
          ? 'a block device'
          : stats.isSocket()
            ? 'a socket'
            : 'not a file';
  return `not a regular file (${kind})`;
}

/** The grader threads of this process (see GraderPool). */
const pool = new GraderPool();

/**
 * Runs a scenario's custom graders on one run, each in a grader thread (GraderPool) within its
 * time limit. A grader that cannot be loaded, throws, returns the wrong shape, exits, hangs or
 * eats memory is a failed check saying so; it never stops the other checks or the run.
 */
export async function gradeCustom(
  specs: readonly CustomGraderSpec[],
  scenarioFile: string,
  input: Omit<GraderInput, 'options'>,
): Promise<GradeResult[]> {
  const results: GradeResult[] = [];
  for (const spec of specs) {
    const name = customCheckName(spec);
    const weight = spec.weight === undefined ? {} : { weight: spec.weight };
    const path = graderPath(spec, scenarioFile);
    let output: GraderOutput | string;
    try {
      // Checked here, before a thread reads it: a device or a pipe would be read forever.
      const problem = notAFile(path);
      output = problem
        ? `the grader failed: cannot load grader ${path}: ${problem}`
        : await pool.run(path, spec.export, { ...input, options: spec.options ?? {} }, spec.timeout_ms ?? GRADER_TIMEOUT_MS);
    } catch (error) {
      output = `the grader failed: cannot load grader ${path}: ${(error as Error).message}`;
    }
    results.push(
      typeof output === 'string'
        ? { name, pass: false, reason: output, score: 0, ...weight }
        : {
            name,
            pass: output.pass,
            reason: output.message || (output.pass ? 'passed' : 'failed'),
            ...(output.score === undefined ? {} : { score: output.score }),
            ...weight,
          },
    );
  }
  return results;
}
