import { describe, expect, it } from 'vitest';
import { capText, capTexts } from './cap.ts';

describe('capText', () => {
  it('keeps a text at the limit as it is', () => {
    expect(capText('abcd', 4)).toBe('abcd');
  });

  it('cuts a longer text at the limit and notes how many characters were cut, of how many', () => {
    expect(capText('x'.repeat(1_234_567), 3)).toBe('xxx… [1,234,564 more characters cut from this report; 1,234,567 in all]');
  });

  it('keeps the original length in the note when a cut text is cut again', () => {
    expect(capText(capText('x'.repeat(100), 50), 10)).toBe('xxxxxxxxxx… [90 more characters cut from this report; 100 in all]');
  });

  it('does not split an emoji (two UTF-16 units) at the cut, which would leave a broken character in the report', () => {
    const cut = capText('ab😀😀', 3);
    expect(cut).toBe('ab… [4 more characters cut from this report; 6 in all]');
    expect(cut.isWellFormed()).toBe(true);
  });
});

describe('capTexts', () => {
  it('cuts the strings of a nested value and leaves a value without long texts untouched (the same object)', () => {
    const small = { a: ['short'], b: { c: 1 } };
    expect(capTexts(small, 10)).toBe(small);
    expect(capTexts({ a: ['x'.repeat(20)], b: { c: 1 } }, 10)).toEqual({
      a: ['xxxxxxxxxx… [10 more characters cut from this report; 20 in all]'],
      b: { c: 1 },
    });
  });
});
