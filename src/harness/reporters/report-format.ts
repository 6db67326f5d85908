import type { RunRecord, ScenarioRecord, TrialRecord } from '../results/records.ts';

/** How a scenario ends up in a report: the JUnit outcome, a reason code and a one-line message. */
export interface Verdict {
  readonly status: 'passed' | 'failed' | 'error' | 'skipped';
  /** A replay code (request_mismatch), a check name (tools, answer, stop_reason), flaky, infra_error; null when passed. */
  readonly type: string | null;
  readonly message: string | null;
}

/** The code of a failed trial: its replay failure, else its first failed check, else what stopped it. */
export function trialCode(trial: TrialRecord): string {
  return trial.replay[0]?.code ?? trial.failures[0]?.name ?? (trial.infra_error !== null ? 'infra_error' : 'error');
}

/** A trial's reason without the "[code] " prefix the code already says. */
function bareReason(trial: TrialRecord): string {
  const reason = trial.infra_error ?? trial.reason ?? 'failed without a reason';
  return reason.replace(/^\[[^\]]+\] /, '');
}

/** pass^k of a scenario for the run's k, or null when fewer than k trials were counted. */
export function passHat(scenario: ScenarioRecord, k: number): number | null {
  return scenario.summary.pass_hat_k[String(k)] ?? null;
}

/** pass@k of a scenario for the run's k, or null when fewer than k trials were counted. */
export function passAt(scenario: ScenarioRecord, k: number): number | null {
  return scenario.summary.pass_at_k[String(k)] ?? null;
}

/** Why a scenario passed or not, as every report states it. */
export function verdict(scenario: ScenarioRecord, k: number): Verdict {
  const { summary, trials } = scenario;
  if (trials.length === 0) return { status: 'skipped', type: null, message: 'no trials ran' };
  if (summary.pass) return { status: 'passed', type: null, message: null };
  const firstInfra = trials.find((t) => t.infra_error !== null);
  if (summary.n === 0 && firstInfra) {
    return { status: 'error', type: 'infra_error', message: `every trial hit an infrastructure error: ${firstInfra.infra_error}` };
  }
  const failed = trials.find((t) => t.infra_error === null && !t.pass);
  const hat = passHat(scenario, k);
  if (summary.class === 'flaky' && failed) {
    const gate = summary.min_pass_k === null ? 'every trial must pass' : `needs pass^${k} ≥ ${formatProbability(summary.min_pass_k)}`;
    return {
      status: 'failed',
      type: 'flaky',
      message: `${summary.c} of ${summary.n} trials passed, pass^${k} = ${formatProbability(hat)} (${gate}); first failure: [${trialCode(failed)}] ${bareReason(failed)}`,
    };
  }
  if (failed) return { status: 'failed', type: trialCode(failed), message: bareReason(failed) };
  return {
    status: 'failed',
    type: 'insufficient_trials',
    message: `${summary.n} trials counted, pass^${k} needs at least ${k}`,
  };
}

function trialDetails(trial: TrialRecord): string[] {
  if (trial.infra_error !== null) return [`infrastructure error: ${trial.infra_error}`];
  const lines = [
    ...trial.replay.flatMap((r) => [`[${r.code}] ${r.reason}`, ...(r.diff ? r.diff.split('\n').map((l) => `  ${l}`) : [])]),
    ...trial.failures.map((check) => `[${check.name}] ${check.reason}`),
  ];
  return lines.length > 0 ? lines : [trial.reason ?? 'failed without a reason'];
}

/**
 * Every failed trial of a scenario with its replay failures (and diffs) and failed checks, as
 * plain text; trials that failed the same way share one entry ("trials 2, 4:").
 */
export function scenarioFailureText(scenario: ScenarioRecord): string {
  const groups = new Map<string, number[]>();
  for (const trial of scenario.trials) {
    if (trial.pass) continue;
    const text = trialDetails(trial)
      .map((l) => `  ${l}`)
      .join('\n');
    groups.set(text, [...(groups.get(text) ?? []), trial.trial]);
  }
  return [...groups].map(([text, trials]) => `trial${trials.length > 1 ? 's' : ''} ${trials.join(', ')}:\n${text}`).join('\n');
}

/** A tool as the reports name it: "server/tool", or "(no server)/tool" for a call no server took. */
export function toolLabel(server: string | null, name: string): string {
  return `${server ?? '(no server)'}/${name}`;
}

/** A duration for people: "0.8 ms", "42 ms", "1.25 s"; "–" when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** A probability as a two-decimal number ("0.17"); "n/a" when unknown. */
export function formatProbability(p: number | null | undefined): string {
  return p === null || p === undefined || !Number.isFinite(p) ? 'n/a' : p.toFixed(2);
}

/** A rate as a percentage ("87.5%"); "n/a" when unknown. */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'n/a';
  const percent = p * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

/** A cost in US dollars, with enough digits for the fractions of a cent a query costs; "unknown" for null. */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return 'unknown';
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** A token count with thousands separators. */
export function formatTokens(tokens: number | null | undefined): string {
  return tokens === null || tokens === undefined || !Number.isFinite(tokens) ? '–' : Math.round(tokens).toLocaleString('en-US');
}

/** The 95% interval as "[0.44, 1.00]". */
export function formatInterval([low, high]: readonly [number, number]): string {
  return `[${low.toFixed(2)}, ${high.toFixed(2)}]`;
}

/** The run's model, or in replay (where the run names none) the models the cassettes recorded. */
export function modelOf(record: RunRecord): string {
  if (record.model) return record.model;
  const seen = new Set(record.scenarios.flatMap((s) => s.trials.flatMap((t) => t.transcripts.map((tr) => tr.model))));
  return seen.size === 0 ? 'n/a' : `${[...seen].sort().join(', ')} (recorded)`;
}

/** Tokens and cost of a whole run: cost sums the known estimates and says how many trials had none. */
export function runUsage(scenarios: readonly ScenarioRecord[]): { tokens: number; costUsd: number | null; unpriced: number } {
  const trials = scenarios.flatMap((s) => s.trials);
  const priced = trials.filter((t) => t.cost_usd !== null);
  const unpriced = trials.filter((t) => t.cost_usd === null && t.usage.total_tokens > 0).length;
  return {
    tokens: trials.reduce((sum, t) => sum + t.usage.total_tokens, 0),
    costUsd: priced.length === 0 ? null : priced.reduce((sum, t) => sum + (t.cost_usd ?? 0), 0),
    unpriced,
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Where a trace is shown: HELPDESK_TRACE_URL with "{trace_id}" replaced (e.g. Jaeger's
 * http://localhost:16686/trace/{trace_id}), or undefined when no template is set.
 */
export function traceHref(template: string | undefined, traceId: string): string | undefined {
  return template?.includes('{trace_id}') ? template.replaceAll('{trace_id}', encodeURIComponent(traceId)) : undefined;
}
