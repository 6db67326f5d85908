import { scenarioFailure, type RunRecord, type ScenarioRecord } from '../results/records.ts';
import type { ScenarioResult } from '../results/scenario-result.ts';
import { capText, REPORT_TEXT_MAX_CHARS } from '../results/cap.ts';
import { renderTable } from './table.ts';
import { formatScore, hasScores, judgeLines, judgeTotals, variationGroups } from './answer-grades.ts';

/** A reason as the terminal shows it: a custom grader may quote a whole 50 MB answer. */
const shown = (text: string) => capText(text, REPORT_TEXT_MAX_CHARS);

const pct = (x: number | undefined | null) => (x === undefined || x === null || Number.isNaN(x) ? '-' : `${(x * 100).toFixed(0)}%`);

/** The one-line reason a scenario failed (its first failing trial's), or ''. */
export function failureReason(scenario: ScenarioRecord): string {
  return shown(scenarioFailure(scenario) ?? '');
}

/** Tool calls the table names per scenario; the rest is counted, and listed whole in the reports. */
export const TABLE_TOOLS_SHOWN = 8;

function toolsCalled(scenario: ScenarioRecord): string {
  const tools = scenario.trials[0]?.latency.tools ?? [];
  if (tools.length === 0) return '-';
  const named = tools
    .slice(0, TABLE_TOOLS_SHOWN)
    .map((t) => (t.is_error ? `${t.name}✗` : t.name))
    .join(', ');
  const more = tools.length - TABLE_TOOLS_SHOWN;
  return more > 0 ? `${named}, … ${more} more` : named;
}

/** Up to this many scenarios the table lists them all; a larger run lists the ones that did not pass. */
export const TABLE_ALL_ROWS = 50;

/**
 * The results table: scenario, mode, result, tools called, iterations, time, reason; trial runs
 * add successes, pass^k and the reliability class. Past TABLE_ALL_ROWS scenarios only those that
 * did not pass (or are flaky) have a row, and a line counts the others.
 */
export function resultsTable(record: RunRecord): string {
  if (record.scenarios.length <= TABLE_ALL_ROWS) return table(record, record.scenarios);
  const listed = record.scenarios.filter((s) => !s.summary.pass || s.summary.class === 'flaky');
  const note = `${record.scenarios.length - listed.length} of ${record.scenarios.length} scenarios passed and are not listed here (report.html and results.json have every one)`;
  return listed.length === 0 ? note : `${table(record, listed)}\n${note}`;
}

function table(record: RunRecord, scenarios: readonly ScenarioRecord[]): string {
  const trials = record.trials > 1;
  const scores = hasScores(record);
  const head = ['scenario', 'mode', 'result', 'tools called', 'iter', 'time'];
  if (trials) head.push('c/n', `pass^${record.k}`, 'class');
  if (scores) head.push('score');
  head.push('reason');
  const rows = scenarios.map((s) => {
    const first = s.trials[0];
    const iterations = first ? first.transcripts.reduce((n, t) => n + t.iterations, 0) : 0;
    const row = [
      s.id,
      record.authored ? 'author' : record.mode,
      s.summary.pass ? 'pass' : 'FAIL',
      toolsCalled(s),
      String(iterations),
      `${((first?.duration_ms ?? 0) / 1000).toFixed(2)} s`,
    ];
    if (trials)
      row.push(
        `${s.summary.c}/${s.summary.n}${s.summary.infra ? ` +${s.summary.infra} infra` : ''}`,
        pct(s.summary.pass_hat_k[String(record.k)]),
        s.summary.class,
      );
    if (scores)
      row.push(`${formatScore(s.summary.score_mean)}${s.summary.score_threshold === null ? '' : ` ≥ ${s.summary.score_threshold}`}`);
    row.push(failureReason(s));
    return row;
  });
  const widths = [...(trials ? [28, 7, 7, 30, 5, 8, 10, 8, 12] : [30, 8, 8, 34, 6, 9]), ...(scores ? [11] : []), trials ? 40 : 50];
  return renderTable(head, rows, widths);
}

/**
 * One row per scenario with variations (an intent): how many phrasings passed, the pass rate
 * over their trials, and each phrasing's result.
 */
export function variationsTable(record: RunRecord): string | undefined {
  const groups = variationGroups(record);
  if (groups.length === 0) return undefined;
  const rows = groups.map((g) => [
    g.scenario,
    `${g.passed}/${g.cases.length}`,
    pct(g.trialsCounted === 0 ? null : g.trialsPassed / g.trialsCounted),
    g.cases
      .map((c) => `${c.variation?.variation} ${c.summary.pass ? '✓' : '✗'}${record.trials > 1 ? ` ${c.summary.c}/${c.summary.n}` : ''}`)
      .join('  '),
  ]);
  return renderTable(['scenario (variations)', 'passed', 'pass rate', 'per phrasing'], rows, [34, 8, 11, 60]);
}

/** The judge's verdicts (every judged scenario) and what judging cost, apart from the agent. */
export function judgeSummary(record: RunRecord): string[] {
  const lines = judgeLines(record.scenarios);
  const totals = judgeTotals(record);
  if (lines.length === 0 && !totals) return [];
  const cost = totals?.costUsd === null || totals === null ? 'cost unknown' : `$${totals.costUsd.toFixed(4)}`;
  // Like the table: a large run lists the verdicts that failed and counts the others.
  const shownLines = record.scenarios.length <= TABLE_ALL_ROWS ? lines : lines.filter((l) => !l.pass);
  const hidden = lines.length - shownLines.length;
  return [
    `judged answers${totals ? ` (${totals.calls} judge calls, ${totals.tokens} tokens, ${cost}, ${(totals.ms / 1000).toFixed(2)} s; not counted in the agent's)` : ''}:`,
    ...shownLines.map((l) => `  ${l.pass ? '✓' : '✗'} ${l.scenario} ${l.name === 'judge' ? 'judge' : `judge ${l.name}`}: ${l.reason}`),
    ...(hidden > 0 ? [`  ${hidden} passing verdict(s) not listed (report.html has every one)`] : []),
  ];
}

/** Every failed check and replay diff of each failed scenario's first failing trial. */
export function failedScenarioLines(record: RunRecord): string[] {
  return record.scenarios
    .filter((s) => !s.summary.pass)
    .flatMap((s) => {
      const trial = s.trials.find((t) => !t.pass) ?? s.trials[0];
      if (!trial) return [];
      return [
        `✗ ${s.id} (${s.file})${record.trials > 1 ? ` trial ${trial.trial}` : ''}`,
        ...(trial.infra_error ? [`    [infrastructure] ${trial.infra_error}`] : []),
        // A classified change is named here and shown once, with its evidence, under "drift".
        ...trial.replay.flatMap((f) =>
          f.kind
            ? [`    [${f.code}] ${f.kind}: ${f.change}`]
            : [`    [${f.code}] ${f.reason}`, ...(f.diff ? [`      ${f.diff.split('\n').join('\n      ')}`] : [])],
        ),
        ...(trial.replay.length === 0 && trial.reason && trial.failures.length === 0 && !trial.infra_error ? [`    ${trial.reason}`] : []),
        ...trial.failures.map((f) => `    [${f.name}] ${f.reason}`),
      ].map(shown);
    });
}

const MAX_LISTED = 8;

/** Each classified change of the run once: its kind, what it puts at risk, the evidence, the scenarios. */
export function driftSection(record: RunRecord): string[] {
  if (record.drift.length === 0) return [];
  return [
    `drift: ${record.drift.length} change${record.drift.length === 1 ? '' : 's'}, each shown once`,
    ...record.drift.flatMap((d) => {
      const listed =
        d.scenarios.slice(0, MAX_LISTED).join(', ') +
        (d.scenarios.length > MAX_LISTED ? `, … ${d.scenarios.length - MAX_LISTED} more` : '');
      return [
        `  [${d.kind}] ${d.change} — ${d.scenarios.length} scenario${d.scenarios.length === 1 ? '' : 's'}: ${listed}`,
        `      ${d.detail.split('\n').join('\n      ')}`,
        `      risk: ${d.risk}`,
      ];
    }),
  ];
}

/**
 * What `--rebase` did: cassettes rewritten (with the changes taken in), unchanged, refused (with
 * why), and the scenarios whose run failed before a rebase could be weighed (servers that did not
 * start, a file that did not load), so the counts add up to the scenarios run.
 */
export function rebaseSummary(record: RunRecord): string[] {
  const outcomes = record.scenarios.flatMap((s) => (s.trials[0]?.rebase ? [{ id: s.id, ...s.trials[0].rebase }] : []));
  if (outcomes.length === 0) return [];
  const count = (o: string) => outcomes.filter((x) => x.outcome === o).length;
  const unweighed = record.scenarios.filter((s) => !s.trials[0]?.rebase);
  const notRebased =
    unweighed.length === 0
      ? ''
      : unweighed.length === 1
        ? ', 1 could not be rebased (its run failed before it could be graded)'
        : `, ${unweighed.length} could not be rebased (their runs failed before they could be graded)`;
  return [
    `rebase: ${count('rebased')} cassette(s) rewritten, ${count('unchanged')} unchanged, ${count('refused')} refused${notRebased}`,
    ...outcomes
      .filter((o) => o.outcome !== 'unchanged')
      .flatMap((o) => [`  ${o.outcome === 'rebased' ? '↻' : '✗'} ${o.id} ${o.outcome}`, ...o.reasons.map((r) => `      ${r}`)]),
    ...unweighed.flatMap((s) => [`  ✗ ${s.id} could not be rebased`, ...(failureReason(s) ? [`      ${failureReason(s)}`] : [])]),
  ];
}

/** Scenarios whose live model responses predate a change of what the model is told: re-record to confirm. */
export function staleSummary(record: RunRecord): string[] {
  const stale = record.scenarios.filter((s) => (s.trials[0]?.stale_responses.length ?? 0) > 0);
  if (stale.length === 0) return [];
  return [
    `${stale.length} scenario(s) replay live responses recorded before a change of what the model is told; a live re-record (helpdesk eval --record) confirms them:`,
    ...stale.map((s) => `  ${s.id}: ${s.trials[0]?.stale_responses.join('; ')}`),
  ];
}

/** "29 passed, 1 failed" plus flaky and infrastructure counts in trial runs, and the time. */
export function summaryLine(record: RunRecord): string {
  const t = record.totals;
  const extra =
    record.trials > 1
      ? `, ${t.flaky} flaky, ${t.infra_errors} infrastructure errors, pass rate ${pct(t.pass_rate)} over ${t.trials} trials`
      : '';
  const partial = record.partial ? `; PARTIAL: interrupted after ${record.partial.ran} of ${record.partial.selected} scenarios` : '';
  return `${t.passed} passed, ${t.failed} failed${extra} (${t.scenarios} scenarios in ${(record.duration_ms / 1000).toFixed(1)} s)${partial}`;
}

/** The failed checks and replay failures of one scenario run (for tests and the chat's /save). */
export function resultDetails(result: ScenarioResult): string[] {
  return [
    ...result.replay.flatMap((f) => [`[${f.code}] ${f.reason}`, ...(f.diff ? [`  ${f.diff}`] : [])]),
    ...(result.error ? [result.error] : []),
    ...result.failures.map((f) => `[${f.name}] ${f.reason}`),
  ];
}
