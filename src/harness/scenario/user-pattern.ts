import { RE2JS } from 're2js';

// The one place re2js is used: scenario authors' patterns run on model output, so they run on a
// linear-time engine (RE2), where a backtracking one could take minutes on a pattern like (a+)+$.

const FLAGS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0, // RE2 reads patterns and text as Unicode already
};

/** A compiled user pattern: `test` says whether it matches anywhere in a text. */
export interface UserPattern {
  test(text: string): boolean;
}

function flagBits(flags: string): number {
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAGS[flag];
    if (bit === undefined) throw new Error(`flag "${flag}" is not supported (use i, m, s or u)`);
    bits |= bit;
  }
  return bits;
}

/** Compiles a pattern in RE2 syntax with JavaScript-style flags; throws with the reason when it cannot. */
export function compileUserPattern(source: string, flags = ''): UserPattern {
  const pattern = RE2JS.compile(source, flagBits(flags));
  return { test: (text) => pattern.test(text) };
}

/** What RE2 refuses that JavaScript accepts, recognised by re2js's message, and how to say it to an author. */
const KNOWN_REFUSALS: readonly (readonly [RegExp, string])[] = [
  [/^invalid escape sequence: `\\[\dk]/, 'RE2 syntax (linear time) has no backreferences or this escape'],
  [/^invalid escape sequence: `\\u/, 'RE2 syntax (linear time) writes a code point as \\x{00e9}, not \\u00e9 or \\u{e9}'],
  [/\(\?[=!]|\(\?<[=!]/, 'RE2 syntax (linear time) has no lookahead or lookbehind'],
];

/** Why a pattern cannot be used, in words for a scenario author; undefined when it can. */
export function patternProblem(source: string, flags = ''): string | undefined {
  try {
    compileUserPattern(source, flags);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    if (message.startsWith('flag "')) return message;
    const known = KNOWN_REFUSALS.find(([pattern]) => pattern.test(message));
    return `${known ? known[1] : 'not a valid pattern'}: ${message}`;
  }
}
