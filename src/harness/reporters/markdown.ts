import { resilienceRows } from '../results/resilience-record.ts';
import { runPassed } from '../results/gates.ts';
import type { RunRecord, ScenarioRecord } from '../results/records.ts';
import { judgeLines, judgeTotals, variationGroups } from './answer-grades.ts';
import {
  scenarioFailureText,
  formatMs,
  formatPercent,
  formatProbability,
  formatTokens,
  formatUsd,
  modelOf,
  runUsage,
  verdict,
  traceHref,
} from './report-format.ts';
import { displayPath } from '../results/records.ts';
import { failingCells, resilienceHeadline, resilienceMark } from './resilience.ts';

/** Escapes text for a GitHub-flavoured Markdown table cell: pipes, HTML, line breaks, emphasis. */
export function markdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_`[\]~])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}

/** Escapes inline text (a list item): as a cell, pipes included (harmless outside tables). */
const inline = markdownCell;

/** A fenced code block long enough that no backtick run inside can close it. */
export function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

const RESULT_LABEL = { passed: '✅ pass', failed: '❌ fail', error: '⚠️ infra', skipped: '⏭️ skipped' } as const;

function headline(record: RunRecord): string[] {
  const t = record.totals;
  const ok = runPassed(record);
  const infraScenarios = record.scenarios.filter((s) => verdict(s, record.k).status === 'error').length;
  const counts = [`${t.passed} passed`, `${t.failed} failed`, `${t.flaky} flaky`, `${infraScenarios} infra`].join(' · ');
  const usage = runUsage(record.scenarios);
  const facts = [
    `pass rate **${formatPercent(t.pass_rate)}** of ${t.trials - t.infra_errors} counted trials (${t.infra_errors} infrastructure errors)`,
    `mode \`${record.mode}\``,
    `model \`${modelOf(record)}\``,
    `${record.trials} trial${record.trials === 1 ? '' : 's'} per scenario`,
    `k = ${record.k}`,
    `${formatTokens(usage.tokens)} tokens`,
    `cost ${formatUsd(usage.costUsd)} (prices ${record.price_table})`,
    `${(record.duration_ms / 1000).toFixed(1)} s`,
  ];
  return [
    `## ${ok ? '✅' : '❌'} mcp-helpdesk eval: ${counts}`,
    '',
    `${facts.join(' · ')}  `,
    `Run \`${record.run_id}\` started ${record.started_at}${record.shard ? ` · shard ${record.shard.index}/${record.shard.count}` : ''}`,
  ];
}

function scenarioTable(record: RunRecord): string[] {
  const rows = record.scenarios.map((s) => {
    const hat = s.summary.pass_hat_k[String(record.k)];
    return `| ${[
      markdownCell(s.id),
      RESULT_LABEL[verdict(s, record.k).status],
      formatProbability(hat),
      s.summary.class,
      formatMs(s.summary.p95_ms),
      formatTokens(s.summary.tokens_mean),
      formatUsd(s.summary.cost_usd),
    ].join(' | ')} |`;
  });
  return [
    `| Scenario | Result | pass^${record.k} | Class | p95 | Tokens (mean) | Cost |`,
    '| --- | --- | ---: | --- | ---: | ---: | ---: |',
    ...rows,
  ];
}

/** The trace of a failed scenario's first failed trial, linked when a template is set. */
function traceNote(s: ScenarioRecord, traceUrl: string | undefined): string {
  const id = (s.trials.find((t) => !t.pass) ?? s.trials[0])?.trace_id;
  if (!id) return '';
  const href = traceHref(traceUrl, id);
  return href ? ` · trace [\`${id}\`](${href})` : ` · trace \`${id}\``;
}

function failures(record: RunRecord, root: string | undefined, traceUrl?: string): string[] {
  const failed = record.scenarios.filter((s) => !s.summary.pass);
  if (failed.length === 0) return [];
  return [
    '',
    '### Failures',
    '',
    ...failed.flatMap((s: ScenarioRecord) => {
      const outcome = verdict(s, record.k);
      const details = scenarioFailureText(s);
      return [
        `- **${inline(s.id)}** (\`${displayPath(s.file, root).replace(/`/g, "'")}\`) — \`${outcome.type ?? 'failed'}\`: ${inline(outcome.message ?? '')}${traceNote(s, traceUrl)}`,
        ...(details
          ? [
              '',
              codeBlock(details)
                .split('\n')
                .map((l) => `  ${l}`)
                .join('\n'),
              '',
            ]
          : []),
      ];
    }),
  ];
}

function variationSection(record: RunRecord): string[] {
  const groups = variationGroups(record);
  if (groups.length === 0) return [];
  return [
    '',
    '### Variations',
    '',
    '| Scenario | Passed | Pass rate | Per phrasing |',
    '| --- | ---: | ---: | --- |',
    ...groups.map(
      (g) =>
        `| ${markdownCell(g.scenario)} | ${g.passed}/${g.cases.length} | ${formatPercent(g.trialsCounted === 0 ? null : g.trialsPassed / g.trialsCounted)} | ${g.cases
          .map(
            (c) =>
              `${c.summary.pass ? '✅' : '❌'} ${markdownCell(c.variation?.variation ?? c.id)}${record.trials > 1 ? ` ${c.summary.c}/${c.summary.n}` : ''}`,
          )
          .join(' ')} |`,
    ),
  ];
}

function judgeSection(record: RunRecord): string[] {
  const lines = judgeLines(record.scenarios);
  const totals = judgeTotals(record);
  if (lines.length === 0) return [];
  return [
    '',
    '### Judged answers',
    '',
    ...(totals
      ? [
          `${totals.calls} judge calls · ${formatTokens(totals.tokens)} tokens · ${formatUsd(totals.costUsd)} · ${(totals.ms / 1000).toFixed(2)} s, not counted in the agent's figures`,
          '',
        ]
      : []),
    ...lines.map((l) => `- ${l.pass ? '✅' : '❌'} **${inline(l.scenario)}** judge \`${l.name.replace(/`/g, "'")}\`: ${inline(l.reason)}`),
  ];
}

function driftSection(record: RunRecord): string[] {
  if (record.drift.length === 0) return [];
  return [
    '',
    '### Drift: what changed since the recordings',
    '',
    ...record.drift.flatMap((d) => [
      `- **${d.kind}** ${inline(d.change)} — ${d.scenarios.length} scenario${d.scenarios.length === 1 ? '' : 's'}: ${inline(d.scenarios.join(', '))}`,
      `  ${inline(d.risk)}`,
      '',
      codeBlock(d.detail)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
      '',
    ]),
  ];
}

function staleSection(record: RunRecord): string[] {
  const stale = record.scenarios.filter((s) => (s.trials[0]?.stale_responses.length ?? 0) > 0);
  if (stale.length === 0) return [];
  return [
    '',
    '### Recorded against an older prompt or description',
    '',
    'These live cassettes were rebased across a change of what the model is told; a live re-record confirms them.',
    '',
    ...stale.map((s) => `- **${inline(s.id)}**: ${inline(s.trials[0]?.stale_responses.join('; ') ?? '')}`),
  ];
}

function gates(record: RunRecord): string[] {
  if (record.gates.length === 0) return [];
  return [
    '',
    '### Gates',
    '',
    ...record.gates.map((g) => `- ${g.informational ? 'ℹ️' : g.pass ? '✅' : '❌'} **${inline(g.name)}**: ${inline(g.reason)}`),
  ];
}

function regressions(record: RunRecord): string[] {
  const baseline = record.baseline;
  if (!baseline || baseline.regressions.length === 0) return [];
  const num = (v: number | null) => (v === null ? '–' : String(Number(v.toFixed(4))));
  return [
    '',
    `### Regressions against run \`${baseline.run_id}\``,
    '',
    '| Scenario | Kind | Before | After | Reason |',
    '| --- | --- | ---: | ---: | --- |',
    ...baseline.regressions.map(
      (r) => `| ${markdownCell(r.scenario)} | ${r.kind} | ${num(r.before)} | ${num(r.after)} | ${markdownCell(r.reason)} |`,
    ),
  ];
}

/** The resilience matrix (--fault-matrix): scenario × fault kind, then each failing run. */
function resilience(record: RunRecord): string[] {
  const matrix = record.resilience;
  if (!matrix) return [];
  return [
    '',
    '## Resilience (fault matrix)',
    '',
    resilienceHeadline(matrix),
    '',
    `| Scenario | ${matrix.kinds.join(' | ')} |`,
    `|---|${matrix.kinds.map(() => ':-:').join('|')}|`,
    ...resilienceRows(matrix).map(
      (row) => `| ${markdownCell(row.scenario)} | ${matrix.kinds.map((kind) => resilienceMark(row.cells.get(kind))).join(' | ')} |`,
    ),
    ...failingCells(matrix).map((line, i) => `${i === 0 ? '\n' : ''}- ❌ ${inline(line)}`),
    ...matrix.skipped.map((s) => `- ⏭️ ${inline(`${s.scenario} left out: ${s.reason}`)}`),
  ];
}

/** Options for the Markdown summary. */
export interface MarkdownOptions {
  /** Scenario files are shown relative to this folder when inside it. */
  readonly root?: string;
  /** HELPDESK_TRACE_URL: a failed scenario's trace ID links there ("{trace_id}" replaced). */
  readonly traceUrl?: string | undefined;
}

/** summary.md: the run in GitHub-flavoured Markdown, for $GITHUB_STEP_SUMMARY or a pull-request comment. */
export function summaryMarkdown(record: RunRecord, options: MarkdownOptions = {}): string {
  return [
    ...headline(record),
    '',
    ...scenarioTable(record),
    ...variationSection(record),
    ...judgeSection(record),
    ...driftSection(record),
    ...staleSection(record),
    ...failures(record, options.root, options.traceUrl),
    ...resilience(record),
    ...gates(record),
    ...regressions(record),
    '',
  ].join('\n');
}
