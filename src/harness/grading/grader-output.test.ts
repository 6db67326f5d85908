import { describe, expect, it } from 'vitest';
import { readOutput } from './grader-output.ts';

describe('readOutput', () => {
  it('keeps pass, message and score, and nothing else a grader returned', () => {
    expect(readOutput({ pass: true, message: 'ok', score: 0.25, extra: 'dropped' })).toEqual({ pass: true, message: 'ok', score: 0.25 });
    expect(readOutput({ pass: false, message: 'no' })).toEqual({ pass: false, message: 'no' });
    expect(readOutput({ pass: false, message: 'no' })).not.toHaveProperty('score');
  });

  it('makes a missing or non-string message empty', () => {
    expect(readOutput({ pass: true })).toEqual({ pass: true, message: '' });
    expect(readOutput({ pass: true, message: 42 })).toEqual({ pass: true, message: '' });
    expect(readOutput({ pass: false, message: ['a'] })).toEqual({ pass: false, message: '' });
  });

  it('takes a score from 0 to 1 inclusive', () => {
    expect(readOutput({ pass: false, score: 0, message: 'm' })).toEqual({ pass: false, score: 0, message: 'm' });
    expect(readOutput({ pass: true, score: 1, message: 'm' })).toEqual({ pass: true, score: 1, message: 'm' });
  });

  it('refuses a score outside 0 to 1, not a number, or NaN, quoting it', () => {
    expect(readOutput({ pass: true, score: 1.01 })).toBe("the grader's score 1.01 is not a number from 0 to 1");
    expect(readOutput({ pass: true, score: -0.5 })).toBe("the grader's score -0.5 is not a number from 0 to 1");
    expect(readOutput({ pass: true, score: '0.5' })).toBe('the grader\'s score "0.5" is not a number from 0 to 1');
    expect(readOutput({ pass: true, score: Number.NaN })).toBe("the grader's score null is not a number from 0 to 1");
    expect(readOutput({ pass: true, score: null })).toBe("the grader's score null is not a number from 0 to 1");
  });

  it('wants a boolean pass', () => {
    expect(readOutput({ message: 'm' })).toBe('the grader returned no boolean "pass"');
    expect(readOutput({ pass: 'true', message: 'm' })).toBe('the grader returned no boolean "pass"');
    expect(readOutput({ pass: 1, score: 5 })).toBe('the grader returned no boolean "pass"');
    expect(readOutput([])).toBe('the grader returned no boolean "pass"');
  });

  it('says what came back when it is not an object', () => {
    expect(readOutput(undefined)).toBe('the grader returned undefined, not { pass, message }');
    expect(readOutput(null)).toBe('the grader returned null, not { pass, message }');
    expect(readOutput(true)).toBe('the grader returned true, not { pass, message }');
    expect(readOutput(0)).toBe('the grader returned 0, not { pass, message }');
    expect(readOutput(1)).toBe('the grader returned 1, not { pass, message }');
    expect(readOutput('passed')).toBe('the grader returned "passed", not { pass, message }');
  });
});
