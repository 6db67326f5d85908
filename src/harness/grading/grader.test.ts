import { describe, expect, it } from 'vitest';
import { defineGrader } from './grader.ts';

describe('defineGrader', () => {
  it('gives back the grader it was given, to be exported as is', () => {
    const grader = (run: { answer: string }) => ({ pass: run.answer !== '', message: 'answered' });
    expect(defineGrader(grader)).toBe(grader);
  });
});
