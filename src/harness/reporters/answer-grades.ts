import type { RunRecord, ScenarioRecord } from '../results/records.ts';

/** The cases of one scenario with variations (an intent), with how many passed. */
export interface VariationGroup {
  readonly scenario: string;
  readonly cases: readonly ScenarioRecord[];
  /** Variations that passed, of all. */
  readonly passed: number;
  /** Passing trials over counted trials, across every variation. */
  readonly trialsPassed: number;
  readonly trialsCounted: number;
}

/** The run's scenarios with variations, grouped by scenario, in the run's order. */
export function variationGroups(record: RunRecord): VariationGroup[] {
  const groups = new Map<string, ScenarioRecord[]>();
  for (const s of record.scenarios) {
    if (!s.variation) continue;
    const list = groups.get(s.variation.scenario) ?? [];
    list.push(s);
    groups.set(s.variation.scenario, list);
  }
  return [...groups].map(([scenario, unordered]) => {
    const cases = unordered.sort((a, b) => (a.variation?.index ?? 0) - (b.variation?.index ?? 0));
    return {
      scenario,
      cases,
      passed: cases.filter((c) => c.summary.pass).length,
      trialsPassed: cases.reduce((sum, c) => sum + c.summary.c, 0),
      trialsCounted: cases.reduce((sum, c) => sum + c.summary.n, 0),
    };
  });
}

/** One judge's verdict on a scenario's answer, as the reports show it. */
export interface JudgeLine {
  readonly scenario: string;
  readonly trial: number;
  readonly name: string;
  readonly pass: boolean;
  readonly reason: string;
}

/** The judge checks of each judged scenario's first counted trial (every trial's for failures). */
export function judgeLines(scenarios: readonly ScenarioRecord[]): JudgeLine[] {
  return scenarios.flatMap((s) => {
    const trial = s.trials.find((t) => !t.pass && t.infra_error === null) ?? s.trials.find((t) => t.infra_error === null) ?? s.trials[0];
    if (!trial) return [];
    return trial.checks
      .filter((c) => c.name.startsWith('judge:'))
      .map((c) => ({ scenario: s.id, trial: trial.trial, name: c.name.slice('judge:'.length), pass: c.pass, reason: c.reason }));
  });
}

/** The judge's calls, tokens, cost and time over the whole run; null when nothing was judged. */
export function judgeTotals(record: RunRecord): { calls: number; tokens: number; costUsd: number | null; ms: number } | null {
  const judged = record.scenarios.flatMap((s) => s.trials.flatMap((t) => (t.judge ? [t.judge] : [])));
  if (judged.length === 0) return null;
  const costs = judged.map((j) => j.cost_usd);
  return {
    calls: judged.reduce((sum, j) => sum + j.calls.length, 0),
    tokens: judged.reduce((sum, j) => sum + j.usage.total_tokens, 0),
    costUsd: costs.every((c) => c !== null) ? (costs as number[]).reduce((a, b) => a + b, 0) : null,
    ms: judged.reduce((sum, j) => sum + j.ms, 0),
  };
}

/** Whether the run has scores worth a column: a graded or weighted check, or a score threshold. */
export function hasScores(record: RunRecord): boolean {
  return record.scenarios.some(
    (s) =>
      s.summary.score_threshold !== null || s.trials.some((t) => t.checks.some((c) => c.score !== undefined || c.weight !== undefined)),
  );
}

/** A score as the reports print it: 0.87, or - when there is none. */
export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? '-' : score.toFixed(2);
}
