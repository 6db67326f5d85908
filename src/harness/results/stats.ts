/** Reliability of one scenario over repeated trials. */
export type ReliabilityClass = 'stable_pass' | 'flaky' | 'stable_fail' | 'no_data';

/** Binomial coefficient C(n, k) as a float (exact for the small n of trial runs). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= Math.min(k, n - k); i += 1) result = (result * (n - i + 1)) / i;
  return result;
}

/**
 * pass^k: the chance that k trials drawn from the n run all succeed, C(c,k)/C(n,k) — the
 * tau-bench reliability measure. n = 4, c = 2 gives pass^2 = 1/6.
 */
export function passHatK(n: number, c: number, k: number): number {
  if (k < 1 || k > n) return Number.NaN;
  return choose(c, k) / choose(n, k);
}

/** pass@k, the unbiased estimator: the chance that at least one of k trials succeeds, 1 − C(n−c,k)/C(n,k). */
export function passAtK(n: number, c: number, k: number): number {
  if (k < 1 || k > n) return Number.NaN;
  return 1 - choose(n - c, k) / choose(n, k);
}

/** The Wilson score interval for c successes in n trials (95% by default): honest at small n and at 0 or n. */
export function wilsonInterval(n: number, c: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = c / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** stable_pass when every counted trial passed, stable_fail when none did, flaky in between. */
export function classify(n: number, c: number): ReliabilityClass {
  if (n === 0) return 'no_data';
  if (c === n) return 'stable_pass';
  if (c === 0) return 'stable_fail';
  return 'flaky';
}

/** The k reported by default for n trials: half of them, at least 1 (n = 4 → pass^2). */
export function defaultK(trials: number): number {
  return Math.max(1, Math.floor(trials / 2));
}

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}
