import { compileUserPattern } from '../scenario/user-pattern.ts';
/** The outcome of one check: whether it passed and, either way, why. */
export interface Check {
  readonly pass: boolean;
  readonly reason: string;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

/** Deep equality over JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  return (
    ak.length === bk.length &&
    ak.every((k) => Object.hasOwn(b as object, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function isMatcher(value: unknown, key: string): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key);
}

/** Whether an actual value satisfies an expected value or matcher ($regex, $any, $oneOf). */
export function matchValue(expected: unknown, actual: unknown, present = true): Check {
  if (isMatcher(expected, '$any')) return present ? { pass: true, reason: 'present' } : { pass: false, reason: 'missing' };
  if (!present) return { pass: false, reason: `missing (expected ${show(expected)})` };
  if (isMatcher(expected, '$regex')) {
    const source = String(expected.$regex);
    const flags = typeof expected.$flags === 'string' ? expected.$flags : '';
    return typeof actual === 'string' && compileUserPattern(source, flags).test(actual)
      ? { pass: true, reason: `matches /${source}/` }
      : { pass: false, reason: `expected to match /${source}/${flags}, got ${show(actual)}` };
  }
  if (isMatcher(expected, '$oneOf') && Array.isArray(expected.$oneOf)) {
    return expected.$oneOf.some((option) => jsonEqual(option, actual))
      ? { pass: true, reason: 'one of the accepted values' }
      : { pass: false, reason: `expected one of ${show(expected.$oneOf)}, got ${show(actual)}` };
  }
  return jsonEqual(expected, actual)
    ? { pass: true, reason: 'equal' }
    : { pass: false, reason: `expected ${show(expected)}, got ${show(actual)}` };
}

/** Whether a call's arguments satisfy the expected ones; `exact` also forbids other arguments. */
export function matchArguments(
  expected: Record<string, unknown> | undefined,
  actual: Record<string, unknown> | null,
  mode: 'exact' | 'partial',
): Check {
  if (!expected) return { pass: true, reason: 'no argument expectations' };
  if (actual === null) return { pass: false, reason: 'arguments were not a JSON object' };
  const problems: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const check = matchValue(want, actual[key], Object.hasOwn(actual, key));
    if (!check.pass) problems.push(`${key}: ${check.reason}`);
  }
  if (mode === 'exact') {
    for (const key of Object.keys(actual)) if (!Object.hasOwn(expected, key)) problems.push(`${key}: not expected (exact match)`);
  }
  return problems.length === 0 ? { pass: true, reason: 'arguments match' } : { pass: false, reason: problems.join('; ') };
}

/** Whether a text contains a string (case-insensitive) or matches a regex matcher. */
export function matchText(expected: string | { $regex: string; $flags?: string | undefined }, actual: string): Check {
  if (typeof expected === 'string') {
    return actual.toLowerCase().includes(expected.toLowerCase())
      ? { pass: true, reason: `contains "${expected}"` }
      : { pass: false, reason: `expected to contain "${expected}", got ${show(actual)}` };
  }
  return matchValue(expected, actual);
}
