import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileUserPattern, patternProblem } from './user-pattern.ts';

const MATCHERS = join(import.meta.dirname, '..', 'grading', 'matchers.ts');

/**
 * Runs a pathological pattern in a child process with a hard time limit: a backtracking engine
 * would block the event loop for minutes, where no in-process timeout could fire.
 */
function timedMatch(call: string): { status: number | null; stdout: string; ms: number } {
  const script = `import { matchValue, matchText } from ${JSON.stringify(MATCHERS)};
const subject = 'a'.repeat(34) + '!';
const started = performance.now();
const check = ${call};
process.stdout.write(JSON.stringify({ check, ms: performance.now() - started }));`;
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 5_000, encoding: 'utf8' });
  return { status: child.status, stdout: child.stdout, ms: performance.now() - started };
}

describe('user patterns ($regex, answer.matches)', () => {
  it('decides the catastrophic (a+)+$ on 34 "a"s and a "!" in milliseconds, for $regex and for answer text', () => {
    for (const call of ["matchValue({ $regex: '(a+)+$' }, subject)", "matchText({ $regex: '(a+)+$' }, subject)"]) {
      const run = timedMatch(call);
      expect(run.status, `${call} did not finish within 5 s`).toBe(0);
      const { check, ms } = JSON.parse(run.stdout) as { check: { pass: boolean; reason: string }; ms: number };
      expect(check).toEqual({ pass: false, reason: `expected to match /(a+)+$/, got "${'a'.repeat(34)}!"` });
      expect(ms).toBeLessThan(100);
    }
  });

  it('honours the i, m and s flags and finds a match anywhere in the text', () => {
    expect(compileUserPattern('^tkt-\\d+', 'i').test('TKT-1001')).toBe(true);
    expect(compileUserPattern('^b', 'm').test('a\nb')).toBe(true);
    expect(compileUserPattern('^b', '').test('a\nb')).toBe(false);
    expect(compileUserPattern('a.b', 's').test('a\nb')).toBe(true);
    expect(compileUserPattern('a.b', '').test('a\nb')).toBe(false);
    expect(compileUserPattern('critical', 'u').test('two critical tickets')).toBe(true);
  });

  it('tells an author who writes \\u00e9 that RE2 writes a code point as \\x{00e9}', () => {
    expect(patternProblem('caf\\u00e9')).toBe(
      'RE2 syntax (linear time) writes a code point as \\x{00e9}, not \\u00e9 or \\u{e9}: invalid escape sequence: `\\u`',
    );
    expect(patternProblem('\\u{1F600}', 'u')).toBe(
      'RE2 syntax (linear time) writes a code point as \\x{00e9}, not \\u00e9 or \\u{e9}: invalid escape sequence: `\\u`',
    );
    expect(compileUserPattern('caf\\x{00e9}').test('café')).toBe(true);
  });

  it('names what RE2 cannot run: backreferences, lookaround, and flags other than i, m, s and u', () => {
    expect(patternProblem('(a)\\1')).toBe('RE2 syntax (linear time) has no backreferences or this escape: invalid escape sequence: `\\1`');
    expect(patternProblem('TKT(?=-)')).toBe(
      'RE2 syntax (linear time) has no lookahead or lookbehind: invalid or unsupported Perl syntax: `(?=`',
    );
    expect(patternProblem('x', 'g')).toBe('flag "g" is not supported (use i, m, s or u)');
    expect(patternProblem('x', 'iy')).toBe('flag "y" is not supported (use i, m, s or u)');
    expect(patternProblem('(?<id>TKT)-\\k<id>')).toBe(
      'RE2 syntax (linear time) has no backreferences or this escape: invalid escape sequence: `\\k`',
    );
    expect(patternProblem('(unclosed')).toMatch(/^not a valid pattern: /);
    expect(patternProblem('^TKT-\\d{4}$', 'i')).toBeUndefined();
  });
});
