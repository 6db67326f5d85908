import type { Scenario } from '../scenario/scenario.ts';
import { gradeGroundedness } from './groundedness.ts';
import { judgeName } from '../judge/request.ts';
import { judgeCheck } from '../judge/verdict.ts';
import type { ScenarioRun } from '../run/scenario-run.ts';
import type { GradeResult } from './score.ts';

/** The groundedness check (on unless the scenario turns it off); none when no turn answered. */
export function gradeGrounded(expect: Scenario['expect'], run: ScenarioRun): GradeResult[] {
  if (expect.grounded === false || !run.transcripts.some((t) => t.answer)) return [];
  const ignore = typeof expect.grounded === 'object' ? expect.grounded.ignore : [];
  const { pass, reason } = gradeGroundedness(run.transcripts, run.requests, ignore);
  return [{ name: 'grounded', pass, reason }];
}

/** Model-graded checks: one per expect.judge entry, from the verdicts the run collected. */
export function gradeJudges(expect: Scenario['expect'], run: ScenarioRun): GradeResult[] {
  return (expect.judge ?? []).map((spec, i) => {
    const name = judgeName(spec, i);
    const check =
      run.judge === undefined
        ? {
            pass: false,
            score: 0,
            reason: 'the judge was not asked: the run failed before its answer could be judged (see the replay failures)',
          }
        : judgeCheck(
            spec.threshold,
            run.judge.find((call) => call.name === name),
          );
    return { name: `judge:${name}`, ...check, ...(spec.weight === undefined ? {} : { weight: spec.weight }) };
  });
}
