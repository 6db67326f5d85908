import { isAbsolute, relative, sep } from 'node:path';
import { z } from 'zod';
import { TranscriptSchema, type Transcript } from '../../orchestrator/transcript.ts';
import type { Mode } from '../run/scenario-run.ts';
import type { JudgeCall } from '../judge/verdict.ts';
import { costUsd, PRICE_TABLE, type Prices } from './prices.ts';
import { groupDrifts } from '../cassettes/drift-groups.ts';
import type { ScenarioResult } from './scenario-result.ts';
import type { LoadedScenario, Scenario } from '../scenario/scenario.ts';
import { classify, passAtK, passHatK, percentile, wilsonInterval } from './stats.ts';
import { ResilienceRecordSchema } from './resilience-record.ts';

/** The version of results.json; bump it when the shape changes incompatibly. */
export const RESULTS_SCHEMA_VERSION = 1;

const CheckSchema = z.object({
  name: z.string(),
  pass: z.boolean(),
  reason: z.string(),
  /** Graded checks (judges, custom graders) carry a score from 0 to 1, and checks may carry a weight. */
  score: z.number().optional(),
  weight: z.number().optional(),
});

const UsageRecordSchema = z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() });

/** The judge's part of a trial: counted apart from the agent's tokens, cost and latency. */
const JudgeRecordSchema = z.object({
  calls: z.array(
    z.object({
      name: z.string(),
      model: z.string(),
      ms: z.number(),
      usage: UsageRecordSchema.nullable(),
      score: z.number().nullable(),
      pass: z.boolean().nullable(),
      reasons: z.array(z.string()),
      error: z.string().nullable(),
    }),
  ),
  usage: UsageRecordSchema,
  cost_usd: z.number().nullable(),
  ms: z.number(),
});

/** One trial of one scenario. */
export const TrialRecordSchema = z.object({
  trial: z.number().int().min(1),
  pass: z.boolean(),
  /** Set when the infrastructure failed (servers, model API after retries): not counted as a model failure. */
  infra_error: z.string().nullable(),
  reason: z.string().nullable(),
  failures: z.array(CheckSchema),
  checks: z.array(CheckSchema),
  replay: z.array(
    z.object({
      code: z.string(),
      reason: z.string(),
      diff: z.string().optional(),
      /** Drift triage: the kind of change (contract, data, prompt, tools_added), its name and its risk. */
      kind: z.string().optional(),
      change: z.string().optional(),
      risk: z.string().optional(),
    }),
  ),
  duration_ms: z.number(),
  latency: z.object({
    end_to_end_ms: z.number(),
    model_ms: z.array(z.number()),
    tools: z.array(z.object({ name: z.string(), server: z.string().nullable(), ms: z.number(), is_error: z.boolean() })),
    startup_ms: z.number(),
    discovery_ms: z.number(),
  }),
  usage: UsageRecordSchema,
  cost_usd: z.number().nullable(),
  /** The weighted score of the trial's checks (expect.weights), 0 to 1. */
  score: z.number().nullable().default(null),
  judge: JudgeRecordSchema.nullable().default(null),
  /** `helpdesk eval --rebase`: what happened to the cassette, and why. */
  rebase: z
    .object({ outcome: z.enum(['rebased', 'unchanged', 'refused']), reasons: z.array(z.string()) })
    .nullable()
    .default(null),
  /** Changes of what the model was told that the replayed live responses predate (from the cassette header). */
  stale_responses: z.array(z.string()).default([]),
  /** A faulted scenario: the faults it declared and which calls they hit. */
  faults: z
    .object({
      active: z.array(z.record(z.string(), z.unknown())),
      injections: z.array(
        z.object({ fault: z.number().int(), kind: z.string(), server: z.string(), tool: z.string(), call: z.number().int() }),
      ),
    })
    .nullable()
    .default(null),
  /** The trace this trial's spans are in, when the run was traced (OTEL_EXPORTER_OTLP_ENDPOINT). */
  trace_id: z.string().nullable().default(null),
  transcripts: z.array(TranscriptSchema),
});

/** A scenario over all its trials. */
export const ScenarioRecordSchema = z.object({
  id: z.string(),
  file: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  /** For a case of a scenario with variations: the scenario (intent), the variation and its phrasing. */
  variation: z.object({ scenario: z.string(), variation: z.string(), index: z.number().int(), text: z.string() }).nullable().default(null),
  trials: z.array(TrialRecordSchema),
  summary: z.object({
    /** Trials counted (infrastructure errors excluded), successes among them, infrastructure errors. */
    n: z.number().int(),
    c: z.number().int(),
    infra: z.number().int(),
    pass_rate: z.number().nullable(),
    /** pass^k for k = 1..n, keyed by k. */
    pass_hat_k: z.record(z.string(), z.number()),
    pass_at_k: z.record(z.string(), z.number()),
    interval95: z.tuple([z.number(), z.number()]),
    class: z.enum(['stable_pass', 'flaky', 'stable_fail', 'no_data']),
    min_pass_k: z.number().nullable(),
    /** Whether the scenario meets its gate: every trial passed, or pass^k ≥ min_pass_k when set. */
    pass: z.boolean(),
    p50_ms: z.number().nullable(),
    p95_ms: z.number().nullable(),
    tokens_mean: z.number().nullable(),
    cost_usd: z.number().nullable(),
    /** Mean weighted score over the counted trials, and the scenario's score threshold if it has one. */
    score_mean: z.number().nullable().default(null),
    score_threshold: z.number().nullable().default(null),
  }),
});

/** results.json: the canonical record of one eval run. */
export const RunRecordSchema = z.object({
  schema_version: z.literal(RESULTS_SCHEMA_VERSION),
  run_id: z.string(),
  started_at: z.string(),
  duration_ms: z.number(),
  mode: z.enum(['replay', 'record', 'live']),
  authored: z.boolean(),
  model: z.string().nullable(),
  trials: z.number().int().min(1),
  k: z.number().int().min(1),
  shard: z.object({ index: z.number().int(), count: z.number().int() }).nullable(),
  price_table: z.string(),
  scenarios: z.array(ScenarioRecordSchema),
  totals: z.object({
    scenarios: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    flaky: z.number().int(),
    infra_errors: z.number().int(),
    trials: z.number().int(),
    pass_rate: z.number().nullable(),
  }),
  /** A gate's `pass` says whether it lets the run pass; an informational one always does (--min-pass-rate decides). */
  gates: z.array(CheckSchema.extend({ informational: z.literal(true).optional() })),
  /** Set when the run was compared with an earlier one (--baseline). */
  /** Every classified change of the run once, with the scenarios it touches (drift triage). */
  drift: z
    .array(z.object({ kind: z.string(), change: z.string(), risk: z.string(), detail: z.string(), scenarios: z.array(z.string()) }))
    .default([]),
  /** Live runs the endpoint rate-limited: how the requests in flight were lowered (and raised again). */
  throttle: z
    .object({
      rate_limited: z.number().int(),
      max_concurrency: z.number().int(),
      lowest_concurrency: z.number().int(),
      final_concurrency: z.number().int(),
    })
    .nullable()
    .default(null),
  /** Set when the run was interrupted (Ctrl+C): how many of the selected scenarios ran to their end and are in it. */
  partial: z.object({ ran: z.number().int(), selected: z.number().int() }).nullable().default(null),
  /** Set by --fault-matrix: each scenario × tool × fault kind with its invariants. */
  resilience: ResilienceRecordSchema.nullable().default(null),
  baseline: z
    .object({
      run_id: z.string(),
      regressions: z.array(
        z.object({
          scenario: z.string(),
          kind: z.enum(['newly_failing', 'pass_k_drop', 'latency_p95', 'tokens']),
          before: z.number().nullable(),
          after: z.number().nullable(),
          reason: z.string(),
        }),
      ),
    })
    .nullable(),
});

export type Regression = NonNullable<z.infer<typeof RunRecordSchema>['baseline']>['regressions'][number];

export type TrialRecord = z.infer<typeof TrialRecordSchema>;
export type ScenarioRecord = z.infer<typeof ScenarioRecordSchema>;
export type RunRecord = z.infer<typeof RunRecordSchema>;

/**
 * Why a scenario failed, in one line: its first failing trial's reason (one the agent failed before
 * an infrastructure error), or null when it passed.
 */
export function scenarioFailure(scenario: ScenarioRecord): string | null {
  if (scenario.summary.pass) return null;
  const trial = scenario.trials.find((t) => !t.pass && t.infra_error === null) ?? scenario.trials.find((t) => !t.pass);
  if (!trial) return '';
  return trial.infra_error ? `[infrastructure] ${trial.infra_error}` : (trial.reason ?? '');
}

const INFRA_MODEL_ERRORS = new Set(['server', 'connection', 'timeout', 'rate_limit']);

/**
 * Why a trial failed for reasons outside the agent, or null: servers that did not start, a
 * server that crashed (during a call, or out of service), the model API failing after its retries. A scenario that
 * expects such an outcome (e.g. stop_reason model_error) grades it instead.
 */
export function infraError(result: ScenarioResult, scenario: Scenario): string | null {
  if (result.error && result.replay.length === 0) return result.error;
  const transcripts = result.run?.transcripts ?? [];
  // "any" leaves how the run ends ungraded, not expected: a failing model API is still infrastructure.
  if (![scenario.expect.stop_reason].flat().includes('model_error')) {
    for (const t of transcripts) {
      const failure = t.events.findLast((e) => e.type === 'model_error');
      if (t.stop_reason === 'model_error' && failure?.type === 'model_error' && INFRA_MODEL_ERRORS.has(failure.kind)) {
        return `model API: ${failure.message}`;
      }
    }
  }
  const expectedErrors = new Set((scenario.expect.errors ?? []).map((e) => e.tool));
  // A server that died outside this scenario (killed, out of memory) costs its next call a restart:
  // when only latency failed, the restart is to blame, not the agent.
  const latencyOnly = !result.pass && result.failures.length > 0 && result.failures.every((f) => f.name.startsWith('latency:'));
  const restartedCall = latencyOnly ? result.run?.calls.find((c) => c.serverRestarted) : undefined;
  if (restartedCall && !scenario.faults?.length) {
    return `server ${restartedCall.server ?? '?'} had stopped and was restarted during this scenario (${restartedCall.name} waited for it)`;
  }
  for (const call of result.run?.calls ?? []) {
    if (
      call.envelope &&
      /^Server .+ (?:is unavailable|stopped during the call to .+)$/.test(call.envelope.error) &&
      !expectedErrors.has(call.name)
    ) {
      return `${call.envelope.error} (${call.name})`;
    }
  }
  return null;
}

function reasonOf(result: ScenarioResult): string | null {
  if (result.pass) return null;
  const replay = result.replay[0];
  if (replay) return `[${replay.code}] ${replay.reason}`;
  if (result.error) return result.error;
  const check = result.failures[0];
  return check ? `[${check.name}] ${check.reason}` : null;
}

function modelMs(transcripts: readonly Transcript[]): number[] {
  return transcripts.flatMap((t) => t.events.flatMap((e) => (e.type === 'model_response' ? [e.duration_ms] : [])));
}

/** One trial's record. */
export function trialRecord(
  result: ScenarioResult,
  scenario: Scenario,
  trial: number,
  prices: Prices = PRICE_TABLE.per_million_tokens,
): TrialRecord {
  const transcripts = [...(result.run?.transcripts ?? [])];
  const usage = transcripts.reduce(
    (sum, t) => ({
      prompt_tokens: sum.prompt_tokens + t.usage.prompt_tokens,
      completion_tokens: sum.completion_tokens + t.usage.completion_tokens,
      total_tokens: sum.total_tokens + t.usage.total_tokens,
    }),
    { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  );
  const model = transcripts[0]?.model;
  const judge = judgeRecord(result.run?.judge ?? [], prices);
  return {
    trial,
    pass: result.pass,
    infra_error: infraError(result, scenario),
    reason: reasonOf(result),
    failures: [...result.failures],
    checks: [...result.checks],
    replay: result.replay.map((r) => ({
      code: r.code,
      reason: r.reason,
      ...(r.diff ? { diff: r.diff } : {}),
      ...(r.kind ? { kind: r.kind, change: r.change, risk: r.risk } : {}),
    })),
    duration_ms: result.durationMs,
    latency: {
      end_to_end_ms: transcripts.reduce((sum, t) => sum + t.duration_ms, 0),
      model_ms: modelMs(transcripts),
      tools: (result.run?.calls ?? []).map((c) => ({ name: c.name, server: c.server, ms: c.durationMs, is_error: c.isError })),
      startup_ms: result.run?.startupMs ?? 0,
      discovery_ms: result.run?.discoveryMs ?? 0,
    },
    usage,
    cost_usd: model ? costUsd(model, usage.prompt_tokens, usage.completion_tokens, prices) : null,
    score: result.score,
    judge,
    rebase: result.rebase ? { outcome: result.rebase.outcome, reasons: [...result.rebase.reasons] } : null,
    stale_responses: [...(result.staleResponses ?? [])],
    faults: result.faults
      ? { active: result.faults.active.map((f) => ({ ...f })), injections: result.faults.injections.map((i) => ({ ...i })) }
      : null,
    trace_id: result.traceId ?? null,
    transcripts,
  };
}

const NO_USAGE = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** The judge calls of a trial with their tokens, cost and time (null when nothing was judged). */
function judgeRecord(calls: readonly JudgeCall[], prices: Prices): TrialRecord['judge'] {
  if (calls.length === 0) return null;
  const usage = calls.reduce(
    (sum, c) => ({
      prompt_tokens: sum.prompt_tokens + (c.usage?.prompt_tokens ?? 0),
      completion_tokens: sum.completion_tokens + (c.usage?.completion_tokens ?? 0),
      total_tokens: sum.total_tokens + (c.usage?.total_tokens ?? 0),
    }),
    NO_USAGE,
  );
  const costs = calls.map((c) => (c.usage ? costUsd(c.model, c.usage.prompt_tokens, c.usage.completion_tokens, prices) : 0));
  return {
    calls: calls.map((c) => ({
      name: c.name,
      model: c.model,
      ms: c.durationMs,
      usage: c.usage,
      score: c.verdict?.score ?? null,
      pass: c.verdict?.pass ?? null,
      reasons: c.verdict?.reasons ?? [],
      error: c.error ?? null,
    })),
    usage,
    cost_usd: costs.every((c) => c !== null) ? (costs as number[]).reduce((a, b) => a + b, 0) : null,
    ms: calls.reduce((sum, c) => sum + c.durationMs, 0),
  };
}

const mean = (values: readonly number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

/** A scenario's record: its trials and their reliability summary. */
export function scenarioRecord(loaded: LoadedScenario, trials: readonly TrialRecord[], k: number): ScenarioRecord {
  const counted = trials.filter((t) => t.infra_error === null);
  const n = counted.length;
  const c = counted.filter((t) => t.pass).length;
  const hat: Record<string, number> = {};
  const at: Record<string, number> = {};
  for (let j = 1; j <= n; j += 1) {
    hat[String(j)] = passHatK(n, c, j);
    at[String(j)] = passAtK(n, c, j);
  }
  const minPassK = loaded.scenario.expect.min_pass_k ?? null;
  const passK = n >= k ? passHatK(n, c, k) : Number.NaN;
  const pass = n > 0 && (minPassK === null ? c === n : passK >= minPassK);
  const ends = counted.map((t) => t.latency.end_to_end_ms);
  const costs = counted.map((t) => t.cost_usd);
  return {
    id: loaded.scenario.id,
    file: loaded.file,
    description: loaded.scenario.description,
    tags: [...loaded.scenario.tags],
    variation: loaded.variation ? { ...loaded.variation } : null,
    trials: [...trials],
    summary: {
      n,
      c,
      infra: trials.length - n,
      pass_rate: n === 0 ? null : c / n,
      pass_hat_k: hat,
      pass_at_k: at,
      interval95: wilsonInterval(n, c),
      class: classify(n, c),
      min_pass_k: minPassK,
      pass,
      p50_ms: ends.length ? percentile(ends, 50) : null,
      p95_ms: ends.length ? percentile(ends, 95) : null,
      tokens_mean: mean(counted.map((t) => t.usage.total_tokens)),
      cost_usd: costs.length > 0 && costs.every((x) => x !== null) ? (costs as number[]).reduce((a, b) => a + b, 0) : null,
      score_mean: mean(counted.flatMap((t) => (t.score === null ? [] : [t.score]))),
      score_threshold: loaded.scenario.expect.score_threshold ?? null,
    },
  };
}

/** Totals of a run: they depend only on the scenario records, so shards merge to the same numbers. */
export function totals(scenarios: readonly ScenarioRecord[]): RunRecord['totals'] {
  const counted = scenarios.reduce((sum, s) => sum + s.summary.n, 0);
  const passedTrials = scenarios.reduce((sum, s) => sum + s.summary.c, 0);
  return {
    scenarios: scenarios.length,
    passed: scenarios.filter((s) => s.summary.pass).length,
    failed: scenarios.filter((s) => !s.summary.pass).length,
    flaky: scenarios.filter((s) => s.summary.class === 'flaky').length,
    infra_errors: scenarios.reduce((sum, s) => sum + s.summary.infra, 0),
    trials: scenarios.reduce((sum, s) => sum + s.trials.length, 0),
    pass_rate: counted === 0 ? null : passedTrials / counted,
  };
}

/** Everything needed to write results.json for a finished run. */
export interface RunInfo {
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly mode: Mode;
  readonly authored: boolean;
  readonly model: string | null;
  readonly trials: number;
  readonly k: number;
  readonly shard: { index: number; count: number } | null;
  /** The price table's name as the reports show it (default the built-in table's version). */
  readonly priceTable?: string;
}

/** Builds the run record; gates are added by the caller once they are evaluated. */
export function runRecord(info: RunInfo, scenarios: readonly ScenarioRecord[], gates: RunRecord['gates'] = []): RunRecord {
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    run_id: info.runId,
    started_at: info.startedAt,
    duration_ms: info.durationMs,
    mode: info.mode,
    authored: info.authored,
    model: info.model,
    trials: info.trials,
    k: info.k,
    shard: info.shard,
    price_table: info.priceTable ?? PRICE_TABLE.version,
    scenarios: [...scenarios].sort((a, b) => a.id.localeCompare(b.id)),
    totals: totals(scenarios),
    gates,
    drift: groupDrifts(scenarios),
    resilience: null,
    partial: null,
    throttle: null,
    baseline: null,
  };
}

/** A scenario file as the repository sees it: relative to `root` (with "/") when inside it. */
export function displayPath(file: string, root: string | undefined): string {
  if (!root || !isAbsolute(file)) return file;
  const rel = relative(root, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
}
