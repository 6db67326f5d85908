import type { Check } from './matchers.ts';

/** One graded check of a scenario. */
export interface GradeResult extends Check {
  readonly name: string;
  /** A graded score from 0 to 1 (judges and custom graders); otherwise 1 when passed, 0 when not. */
  readonly score?: number | undefined;
  /** The check's weight in the scenario score, when not 1. */
  readonly weight?: number | undefined;
}

/** The family of a check, which `expect.weights` can name: latency:startup → latency, tools#2 → tools. */
export function checkFamily(name: string): string {
  return name.split(/[:#]/)[0] ?? name;
}

/** A check's weight: its own (judges, custom graders), else the scenario's by name or family, else 1. */
export function weightOf(check: GradeResult, weights: Readonly<Record<string, number>> = {}): number {
  return check.weight ?? weights[check.name] ?? weights[checkFamily(check.name)] ?? 1;
}

/** A check's score: graded (judges, custom graders) or 1 for a pass and 0 for a fail. */
export function scoreOfCheck(check: GradeResult): number {
  return check.score ?? (check.pass ? 1 : 0);
}

/**
 * The weighted mean score of a run's checks, from 0 to 1; null when there is nothing to weigh
 * (no checks, or every weight 0).
 */
export function scenarioScore(checks: readonly GradeResult[], weights: Readonly<Record<string, number>> = {}): number | null {
  let total = 0;
  let sum = 0;
  for (const check of checks) {
    const weight = weightOf(check, weights);
    total += weight;
    sum += weight * scoreOfCheck(check);
  }
  return total === 0 ? null : sum / total;
}

/**
 * Whether a run passes its checks: every check passes (the default), or with a score threshold,
 * the weighted score reaches it.
 */
export function checksPass(checks: readonly GradeResult[], score: number | null, threshold: number | undefined): boolean {
  if (threshold === undefined) return checks.every((c) => c.pass);
  return score !== null && score >= threshold;
}
