import { ConfigError } from '../orchestrator/errors.ts';

/** A whole number of at least `min` from a flag or variable; undefined when not given. */
export function wholeNumber(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

/** A number from 0 to 1 from a flag; undefined when not given. */
export function fraction(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new ConfigError(`${name} must be a number from 0 to 1, got "${value}"`);
  return n;
}
