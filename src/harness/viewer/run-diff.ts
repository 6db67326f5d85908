import { compareRuns, DEFAULT_THRESHOLDS, type RegressionThresholds } from '../results/baseline.ts';
import type { Regression, RunRecord, ScenarioRecord } from '../results/records.ts';

/** A scenario that failed in the base run and passes in the head run. */
export interface Fix {
  readonly scenario: string;
  readonly before: number | null;
  readonly after: number | null;
  readonly reason: string;
}

/** A change of p95 latency or mean tokens, worse (a regression of compareRuns) or better. */
export interface CostChange {
  readonly scenario: string;
  readonly kind: 'latency_p95' | 'tokens';
  readonly direction: 'worse' | 'better';
  readonly before: number;
  readonly after: number;
  readonly reason: string;
}

/** Everything that differs between two runs, per scenario. */
export interface RunDiff {
  /** compareRuns(head, base): newly failing scenarios and drops of pass^k. */
  readonly regressions: readonly Regression[];
  readonly fixes: readonly Fix[];
  /** Scenarios only the head run has, and only the base run has. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly costs: readonly CostChange[];
}

const trialsPassed = (s: ScenarioRecord) => `${s.summary.c}/${s.summary.n} trials pass`;

function fixesOf(base: RunRecord, head: RunRecord): Fix[] {
  const before = new Map(base.scenarios.map((s) => [s.id, s]));
  return head.scenarios.flatMap((now) => {
    const old = before.get(now.id);
    if (!old || old.summary.pass || !now.summary.pass) return [];
    return [
      {
        scenario: now.id,
        before: old.summary.pass_rate,
        after: now.summary.pass_rate,
        reason: `failed in ${base.run_id} (${trialsPassed(old)}), passes now (${trialsPassed(now)})`,
      },
    ];
  });
}

/** Latency and token rises are compareRuns' own; falls are the same test with the runs swapped. */
function costsOf(base: RunRecord, head: RunRecord, thresholds: RegressionThresholds, regressions: readonly Regression[]): CostChange[] {
  const worse = regressions.flatMap((r) =>
    (r.kind === 'latency_p95' || r.kind === 'tokens') && r.before !== null && r.after !== null
      ? [{ scenario: r.scenario, kind: r.kind, direction: 'worse' as const, before: r.before, after: r.after, reason: r.reason }]
      : [],
  );
  const better = compareRuns(base, head, thresholds).flatMap((r) => {
    if ((r.kind !== 'latency_p95' && r.kind !== 'tokens') || r.before === null || r.after === null) return [];
    const [before, after] = [r.after, r.before];
    const reason =
      r.kind === 'latency_p95'
        ? `p95 end-to-end latency fell from ${Math.round(before)} ms to ${Math.round(after)} ms`
        : `mean tokens per trial fell from ${Math.round(before)} to ${Math.round(after)}`;
    return [{ scenario: r.scenario, kind: r.kind, direction: 'better' as const, before, after, reason }];
  });
  return [...worse, ...better].sort((a, b) => a.scenario.localeCompare(b.scenario) || a.kind.localeCompare(b.kind));
}

/** What changed from `base` to `head`: regressions first (as compareRuns finds them), then fixes, new and removed scenarios, cost changes. */
export function diffRuns(base: RunRecord, head: RunRecord, thresholds: RegressionThresholds = DEFAULT_THRESHOLDS): RunDiff {
  const found = compareRuns(head, base, thresholds);
  const baseIds = new Set(base.scenarios.map((s) => s.id));
  const headIds = new Set(head.scenarios.map((s) => s.id));
  return {
    regressions: found.filter((r) => r.kind === 'newly_failing' || r.kind === 'pass_k_drop'),
    fixes: fixesOf(base, head),
    added: [...headIds].filter((id) => !baseIds.has(id)).sort(),
    removed: [...baseIds].filter((id) => !headIds.has(id)).sort(),
    costs: costsOf(base, head, thresholds, found),
  };
}
