import type { ScenarioRun } from '../run/scenario-run.ts';
import type { LoadedScenario } from '../scenario/scenario.ts';
import { gradeCustom } from './custom.ts';
import { grade } from './graders.ts';
import type { GradeResult } from './score.ts';

/** The built-in checks and the custom graders of one run; a grader that breaks is a failed check, never a throw. */
export async function gradeRun(loaded: LoadedScenario, run: ScenarioRun): Promise<GradeResult[]> {
  const { scenario } = loaded;
  try {
    const checks = grade(scenario, run);
    if (run.crash || !scenario.expect.custom?.length) return checks;
    const results = new Map(
      run.transcripts.flatMap((t) => t.events.flatMap((e) => (e.type === 'tool_result' ? [[e.id, e.content] as const] : []))),
    );
    const custom = await gradeCustom(scenario.expect.custom, loaded.file, {
      scenarioId: scenario.id,
      turns: scenario.turns,
      transcripts: run.transcripts,
      calls: run.calls,
      results,
      answer: run.transcripts.at(-1)?.answer ?? '',
      requests: run.requests,
    });
    return [...checks, ...custom];
  } catch (error) {
    return [{ name: 'grading', pass: false, reason: `grading failed: ${(error as Error).message}` }];
  }
}
