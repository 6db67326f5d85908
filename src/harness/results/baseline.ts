import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../orchestrator/errors.ts';
import { RunRecordSchema, type Regression, type RunRecord } from './records.ts';

/** How much worse counts as a regression. */
export interface RegressionThresholds {
  /** Absolute drop in pass^k (0.1 = ten points). */
  readonly passK: number;
  /** Relative rise in p95 end-to-end latency (0.25 = 25%), ignored below `latencyFloorMs` of absolute rise. */
  readonly latency: number;
  readonly latencyFloorMs: number;
  /** Relative rise in mean tokens per trial. */
  readonly tokens: number;
}

export const DEFAULT_THRESHOLDS: RegressionThresholds = { passK: 0.1, latency: 0.25, latencyFloorMs: 50, tokens: 0.2 };

/**
 * Reads an earlier run: a results.json file, a report folder holding one, or a run ID under
 * `reportsDir`. Errors name what was tried.
 */
export function loadBaseline(ref: string, reportsDir: string, flag?: string): RunRecord {
  const at = flag ? `${flag}: ` : '';
  const candidates = [ref, join(ref, 'results.json'), join(reportsDir, ref, 'results.json')];
  const path = candidates.find((p) => existsSync(p) && statSync(p).isFile());
  if (!path) throw new ConfigError(`${at}no baseline results at ${candidates.join(', ')}`, undefined, 'unreadable_results');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${at}${path}: not valid JSON: ${(error as Error).message}`, { cause: error }, 'unreadable_results');
  }
  const parsed = RunRecordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `${at}${path}: not a results.json this version can read (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
      undefined,
      'unreadable_results',
    );
  }
  return parsed.data;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/**
 * Regressions of `current` against `baseline`, for scenarios present in both: a scenario that
 * passed and now fails, a drop in pass^k, p95 latency or token use up beyond the thresholds.
 */
export function compareRuns(current: RunRecord, baseline: RunRecord, thresholds: RegressionThresholds = DEFAULT_THRESHOLDS): Regression[] {
  const before = new Map(baseline.scenarios.map((s) => [s.id, s.summary]));
  const k = String(current.k);
  const found: Regression[] = [];
  for (const scenario of current.scenarios) {
    const old = before.get(scenario.id);
    if (!old) continue;
    const now = scenario.summary;
    if (old.pass && !now.pass) {
      found.push({
        scenario: scenario.id,
        kind: 'newly_failing',
        before: old.pass_rate,
        after: now.pass_rate,
        reason: `passed in ${baseline.run_id}, fails now (${now.c}/${now.n} trials pass)`,
      });
    }
    const oldK = old.pass_hat_k[k];
    const newK = now.pass_hat_k[k];
    if (oldK !== undefined && newK !== undefined && oldK - newK > thresholds.passK) {
      found.push({
        scenario: scenario.id,
        kind: 'pass_k_drop',
        before: oldK,
        after: newK,
        reason: `pass^${k} fell from ${pct(oldK)} to ${pct(newK)}`,
      });
    }
    if (
      old.p95_ms !== null &&
      now.p95_ms !== null &&
      now.p95_ms > old.p95_ms * (1 + thresholds.latency) &&
      now.p95_ms - old.p95_ms > thresholds.latencyFloorMs
    ) {
      found.push({
        scenario: scenario.id,
        kind: 'latency_p95',
        before: old.p95_ms,
        after: now.p95_ms,
        reason: `p95 end-to-end latency rose from ${Math.round(old.p95_ms)} ms to ${Math.round(now.p95_ms)} ms`,
      });
    }
    if (
      old.tokens_mean !== null &&
      now.tokens_mean !== null &&
      old.tokens_mean > 0 &&
      now.tokens_mean > old.tokens_mean * (1 + thresholds.tokens)
    ) {
      found.push({
        scenario: scenario.id,
        kind: 'tokens',
        before: old.tokens_mean,
        after: now.tokens_mean,
        reason: `mean tokens per trial rose from ${Math.round(old.tokens_mean)} to ${Math.round(now.tokens_mean)}`,
      });
    }
  }
  return found;
}
