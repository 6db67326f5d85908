import { describe, expect, it } from 'vitest';
import type { Transcript } from '../../orchestrator/transcript.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { gradeGrounded, gradeJudges } from './answer-checks.ts';
import { judgeName } from '../judge/request.ts';
import type { ScenarioRun } from '../run/scenario-run.ts';

const transcript = (answer: string | null): Transcript => ({
  version: 1,
  query: 'q',
  model: 'm',
  started_at: '',
  duration_ms: 1,
  stop_reason: answer === null ? 'model_error' : 'final_answer',
  iterations: 1,
  max_iterations: 10,
  answer,
  usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  events: [],
});

const run = (answers: (string | null)[], judge?: ScenarioRun['judge']): ScenarioRun => ({
  mode: 'replay',
  transcripts: answers.map(transcript),
  calls: [],
  startupMs: 0,
  discoveryMs: 0,
  judge,
  requests: [
    {
      model: 'm',
      messages: [
        { role: 'system', content: 'Today is 2025-10-05.' },
        { role: 'user', content: 'About TKT-1001?' },
      ],
    },
  ],
});

const expectOf = (fields: Partial<Scenario['expect']>) => fields as Scenario['expect'];

describe('answer checks', () => {
  it('grades groundedness unless it is turned off or no turn answered, skipping what the scenario ignores', () => {
    expect(gradeGrounded(expectOf({}), run(['TKT-1001 is open.']))).toEqual([{ name: 'grounded', pass: true, reason: expect.any(String) }]);
    const [made] = gradeGrounded(expectOf({}), run([null, 'TKT-1001 and TKT-2002 are open.']));
    expect(made).toMatchObject({ name: 'grounded', pass: false });
    expect(made?.reason).toContain('TKT-2002');
    expect(gradeGrounded(expectOf({ grounded: { ignore: ['TKT-2002'] } }), run(['TKT-1001 and TKT-2002 are open.']))[0]?.pass).toBe(true);
    expect(gradeGrounded(expectOf({ grounded: true }), run(['TKT-2002 is open.']))[0]?.pass).toBe(false);
    expect(gradeGrounded(expectOf({ grounded: false }), run(['TKT-2002 is open.']))).toEqual([]);
    expect(gradeGrounded(expectOf({}), run([null, '']))).toEqual([]);
  });

  it('names judges judge, judge-2, judge-3 unless named', () => {
    expect([judgeName({}, 0), judgeName({}, 1), judgeName({}, 2), judgeName({ name: 'tone' }, 1)]).toEqual([
      'judge',
      'judge-2',
      'judge-3',
      'tone',
    ]);
  });

  it('grades each judge from its own verdict, with its weight when it has one, and fails them all when the run was not judged', () => {
    const call = (name: string, score: number) => ({
      name,
      model: 'j',
      durationMs: 1,
      usage: null,
      error: undefined,
      verdict: { score, pass: score > 0.5, reasons: [] },
    });
    const specs = expectOf({
      judge: [
        { rubric: 'r', threshold: 0.5 },
        { rubric: 'r', name: 'tone', weight: 3 },
      ],
    });
    expect(gradeJudges(specs, run(['a'], [call('tone', 0.2), call('judge', 0.9)]))).toEqual([
      { name: 'judge:judge', pass: true, score: 0.9, reason: 'score 0.90 (threshold 0.5, j)' },
      { name: 'judge:tone', pass: false, score: 0.2, reason: 'score 0.20 (judge says fail, j)', weight: 3 },
    ]);
    const reason = 'the judge was not asked: the run failed before its answer could be judged (see the replay failures)';
    expect(gradeJudges(specs, run(['a']))).toEqual([
      { name: 'judge:judge', pass: false, score: 0, reason },
      { name: 'judge:tone', pass: false, score: 0, reason, weight: 3 },
    ]);
    expect(gradeJudges(expectOf({}), run(['a']))).toEqual([]);
  });
});
