import { z } from 'zod';
import { scenarioFailure, type RunRecord } from './records.ts';
import { runPassed } from './gates.ts';
import { percentile } from './stats.ts';

/** The version of comparison.json; bump it when the shape changes incompatibly. */
export const COMPARISON_SCHEMA_VERSION = 1;

const ModelSummarySchema = z.object({
  /** What the reports and the cassette folder call the model (recordings/<label>/). */
  label: z.string(),
  /** The model name sent in each request (for replay: the one the cassettes name). */
  model: z.string(),
  api: z.enum(['chat', 'responses']),
  /** This model's run: its ID and its report folder, relative to the comparison's. */
  run_id: z.string(),
  report: z.string(),
  scenarios: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  flaky: z.number().int(),
  infra_errors: z.number().int(),
  /** Share of counted trials that passed. */
  pass_rate: z.number().nullable(),
  /** Mean pass^k over the scenarios with at least k counted trials (k of the run). */
  pass_hat_k: z.number().nullable(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  tokens: z.number(),
  /** Sum of the priced trials' cost; null when no trial could be priced. */
  cost_usd: z.number().nullable(),
  /** Trials with tokens but no price for their model. */
  unpriced: z.number().int(),
  /** Whether this model's run passed its gates. */
  pass: z.boolean(),
});

const VerdictSchema = z.object({
  pass: z.boolean(),
  class: z.string(),
  pass_rate: z.number().nullable(),
  /** Why it failed, in the words of its own report; null when it passed. */
  reason: z.string().nullable(),
});

/** comparison.json: one suite run on several models, side by side. */
export const ComparisonRecordSchema = z.object({
  schema_version: z.literal(COMPARISON_SCHEMA_VERSION),
  kind: z.literal('comparison'),
  run_id: z.string(),
  started_at: z.string(),
  duration_ms: z.number(),
  mode: z.enum(['replay', 'record', 'live']),
  trials: z.number().int().min(1),
  k: z.number().int().min(1),
  models: z.array(ModelSummarySchema),
  /** Every scenario of any model, with each model's verdict (null: not run on that model). */
  scenarios: z.array(z.object({ id: z.string(), verdicts: z.record(z.string(), VerdictSchema.nullable()), differs: z.boolean() })),
  /** The scenarios whose verdict is not the same on every model that ran them. */
  differing: z.array(z.string()),
  /** Set when the comparison stopped early (Ctrl+C): the models that ran to their end. */
  partial: z.object({ ran: z.number().int(), selected: z.number().int() }).nullable(),
});

export type ComparisonRecord = z.infer<typeof ComparisonRecordSchema>;
export type ModelSummary = z.infer<typeof ModelSummarySchema>;

/** One model's finished run, as the comparison receives it. */
export interface ComparedRun {
  readonly label: string;
  readonly model: string;
  readonly api: 'chat' | 'responses';
  /** The run's report folder, relative to the comparison's. */
  readonly report: string;
  readonly record: RunRecord;
}

/** A model's headline numbers from its run. */
function summarize(run: ComparedRun): ModelSummary {
  const { record } = run;
  const trials = record.scenarios.flatMap((s) => s.trials);
  const ms = trials.filter((t) => t.infra_error === null).map((t) => t.latency.end_to_end_ms);
  const hats = record.scenarios.flatMap((s) => {
    const value = s.summary.pass_hat_k[String(record.k)];
    return value === undefined ? [] : [value];
  });
  const priced = trials.filter((t) => t.cost_usd !== null);
  return {
    label: run.label,
    model: run.model,
    api: run.api,
    run_id: record.run_id,
    report: run.report,
    scenarios: record.totals.scenarios,
    passed: record.totals.passed,
    failed: record.totals.failed,
    flaky: record.totals.flaky,
    infra_errors: record.totals.infra_errors,
    pass_rate: record.totals.pass_rate,
    pass_hat_k: hats.length === 0 ? null : hats.reduce((a, b) => a + b, 0) / hats.length,
    p50_ms: ms.length === 0 ? null : percentile(ms, 50),
    p95_ms: ms.length === 0 ? null : percentile(ms, 95),
    tokens: trials.reduce((sum, t) => sum + t.usage.total_tokens, 0),
    cost_usd: priced.length === 0 ? null : priced.reduce((sum, t) => sum + (t.cost_usd ?? 0), 0),
    unpriced: trials.filter((t) => t.cost_usd === null && t.usage.total_tokens > 0).length,
    pass: runPassed(record),
  };
}

/**
 * The comparison of several models' runs of one suite: each model's numbers, and each scenario's
 * verdict per model, marked where they differ. `selected` is how many models were to run.
 */
export function comparisonRecord(
  info: { readonly runId: string; readonly startedAt: string; readonly durationMs: number; readonly selected: number },
  runs: readonly ComparedRun[],
): ComparisonRecord {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const run of runs)
    for (const s of run.record.scenarios)
      if (!seen.has(s.id)) {
        seen.add(s.id);
        ids.push(s.id);
      }
  const byModel = runs.map((run) => new Map(run.record.scenarios.map((s) => [s.id, s])));
  const scenarios = ids.map((id) => {
    const verdicts: Record<string, z.infer<typeof VerdictSchema> | null> = {};
    runs.forEach((run, i) => {
      const s = byModel[i]?.get(id);
      verdicts[run.label] = s
        ? {
            pass: s.summary.pass,
            class: s.summary.class,
            pass_rate: s.summary.pass_rate,
            reason: s.summary.pass ? null : scenarioFailure(s) || s.summary.class,
          }
        : null;
    });
    const outcomes = new Set(
      Object.values(verdicts)
        .filter((v) => v !== null)
        .map((v) => v.pass),
    );
    return { id, verdicts, differs: outcomes.size > 1 };
  });
  const first = runs[0]?.record;
  return {
    schema_version: COMPARISON_SCHEMA_VERSION,
    kind: 'comparison',
    run_id: info.runId,
    started_at: info.startedAt,
    duration_ms: info.durationMs,
    mode: first?.mode ?? 'replay',
    trials: first?.trials ?? 1,
    k: first?.k ?? 1,
    models: runs.map(summarize),
    scenarios,
    differing: scenarios.filter((s) => s.differs).map((s) => s.id),
    partial: runs.length < info.selected ? { ran: runs.length, selected: info.selected } : null,
  };
}
