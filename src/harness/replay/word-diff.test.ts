import { describe, expect, it } from 'vitest';
import { wordDiff } from './word-diff.ts';

describe('wordDiff', () => {
  it('marks removed and added words and keeps the spacing of the text', () => {
    expect(wordDiff('Find support tickets by customer. Returns matching tickets.', 'Find help-desk tickets by customer. Returns the matching tickets.'))
      .toBe('Find [-support-]{+help-desk+} tickets by customer. Returns {+the+} matching tickets.');
  });

  it('cuts long unchanged stretches to a few words around each change, never the change itself', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
    const after = [...words];
    after[30] = 'CHANGED';
    expect(wordDiff(words.join(' '), after.join(' '), 3)).toBe('…w27 w28 w29 [-w30-]{+CHANGED+} w31 w32 w33…');
  });

  it('shows a change at the very start or end without an ellipsis on that side', () => {
    expect(wordDiff('You are a pirate.', 'You are an assistant.')).toBe('You are [-a-]{+an+} [-pirate.-]{+assistant.+}');
    expect(wordDiff('old start of a sentence', 'new start of a sentence')).toBe('[-old-]{+new+} start of a sentence');
  });

  it('returns the text itself when nothing changed, and a whole replacement for unrelated texts', () => {
    expect(wordDiff('same words', 'same words')).toBe('same words');
    expect(wordDiff('alpha', 'beta')).toBe('[-alpha-]{+beta+}');
  });
});
