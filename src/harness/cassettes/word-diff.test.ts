import { describe, expect, it } from 'vitest';
import { wordDiff } from './word-diff.ts';

describe('wordDiff', () => {
  it('marks removed and added words and keeps the spacing of the text', () => {
    expect(
      wordDiff(
        'Find support tickets by customer. Returns matching tickets.',
        'Find help-desk tickets by customer. Returns the matching tickets.',
      ),
    ).toBe('Find [-support-]{+help-desk+} tickets by customer. Returns {+the+} matching tickets.');
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

  it('shows a word only removed or only added between the same neighbours, and at either end', () => {
    expect(wordDiff('one two three', 'one three')).toBe('one [-two-] three');
    expect(wordDiff('one three', 'one two three')).toBe('one {+two+} three');
    expect(wordDiff('x y', 'x y z')).toBe('x y {+z+}');
    expect(wordDiff('x y z', 'z')).toBe('[-x y-] z');
    expect(wordDiff('', 'new')).toBe('{+new+}');
    expect(wordDiff('old', '')).toBe('[-old-]');
  });

  it('keeps line breaks and runs of spaces as one separator, changing only the word', () => {
    expect(wordDiff('a  b\n\nc', 'a  x\n\nc')).toBe('a [-b-]{+x+}\n\nc');
    expect(wordDiff('a b a', 'b a b')).toBe('{+b+} a b [-a-]');
  });

  it('cuts each unchanged stretch between two changes on its own, keeping context on both sides', () => {
    expect(wordDiff('a b c d e f g h i j k l', 'a b X d e f g h i j Y l', 1)).toBe('…b [-c-]{+X+} d…j [-k-]{+Y+} l');
    expect(wordDiff('a b c d e f', 'a X c d Y f', 1)).toBe('a [-b-]{+X+} c…d [-e-]{+Y+} f');
    expect(wordDiff('a b c d e f', 'a X c d Y f', 2)).toBe('a [-b-]{+X+} c d [-e-]{+Y+} f');
    expect(wordDiff('p q r s t u v w', 'P q r s t u v w', 2)).toBe('[-p-]{+P+} q r…');
    expect(wordDiff('p q r s t u v w', 'p q r s t u v W', 2)).toBe('…u v [-w-]{+W+}');
    expect(wordDiff('p q r', 'P q r', 2)).toBe('[-p-]{+P+} q r');
  });
});
