import { describe, expect, it } from 'vitest';
import type { GradeResult } from './score.ts';
import { checkFamily, checksPass, scenarioScore, weightOf } from './score.ts';

const check = (name: string, pass: boolean, extra: Partial<GradeResult> = {}): GradeResult => ({ name, pass, reason: '', ...extra });

describe('score', () => {
  it('names a check family by what comes before ":" or "#"', () => {
    expect(['latency:startup', 'tools#2', 'judge:correct', 'grounded'].map(checkFamily)).toEqual(['latency', 'tools', 'judge', 'grounded']);
  });

  it("weighs a check by its own weight, then the scenario's by name, then by family, else 1", () => {
    const weights = { 'latency:query': 5, latency: 0 };
    expect(weightOf(check('judge:a', true, { weight: 3 }), weights)).toBe(3);
    expect(weightOf(check('latency:query', true), weights)).toBe(5);
    expect(weightOf(check('latency:startup', true), weights)).toBe(0);
    expect(weightOf(check('tools', true), weights)).toBe(1);
  });

  it('is the weighted mean of graded scores and pass/fail as 1/0', () => {
    const checks = [check('tools', true), check('judge:j', false, { score: 0.5, weight: 2 }), check('answer', false)];
    expect(scenarioScore(checks)).toBeCloseTo((1 + 2 * 0.5 + 0) / 4);
    expect(scenarioScore([check('latency:x', false)], { latency: 0 })).toBeNull();
  });

  it('passes on every check by default, and on the score alone when there is a threshold', () => {
    const checks = [check('tools', true), check('judge:j', false, { score: 0.7 })];
    expect(checksPass(checks, scenarioScore(checks), undefined)).toBe(false);
    expect(checksPass(checks, scenarioScore(checks), 0.85)).toBe(true);
    expect(checksPass(checks, scenarioScore(checks), 0.9)).toBe(false);
    expect(checksPass([], null, 0.5)).toBe(false);
  });
});
