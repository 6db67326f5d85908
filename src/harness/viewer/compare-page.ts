import type { Regression, RunRecord } from '../results/records.ts';
import { escapeHtml as esc, formatMs, formatPercent } from '../reporters/report-format.ts';
import { htmlPage, runHref, scenarioHref } from './html-page.ts';
import type { CostChange, Fix, RunDiff } from './run-diff.ts';

/** The two runs of a comparison: their folder names (the IDs in URLs) and thin records. */
export interface ComparedRuns {
  readonly base: { readonly id: string; readonly record: RunRecord };
  readonly head: { readonly id: string; readonly record: RunRecord };
}

type Metric = readonly [
  name: string,
  value: (r: RunRecord) => number | null,
  format: (n: number | null) => string,
  higherIsBetter: boolean | null,
];

const METRICS: readonly Metric[] = [
  ['scenarios', (r) => r.totals.scenarios, String, null],
  ['passed', (r) => r.totals.passed, String, true],
  ['failed', (r) => r.totals.failed, String, false],
  ['flaky', (r) => r.totals.flaky, String, false],
  ['infra errors', (r) => r.totals.infra_errors, String, false],
  ['trial pass rate', (r) => r.totals.pass_rate, formatPercent, true],
  ['duration', (r) => r.duration_ms, formatMs, null],
];

function deltaCell(before: number | null, after: number | null, higherIsBetter: boolean | null): string {
  if (before === null || after === null || before === after) return '<td class="num delta"></td>';
  const better = higherIsBetter === null ? '' : after > before === higherIsBetter ? ' better' : ' worse';
  return `<td class="num delta${better}">${after > before ? '▲' : '▼'}</td>`;
}

function headlines({ base, head }: ComparedRuns): string {
  const facts = (r: RunRecord) => `${r.mode} · ${r.model ?? 'n/a'} · k = ${r.k}`;
  const rows = METRICS.map(([name, value, format, higher]) => {
    const [b, h] = [value(base.record), value(head.record)];
    return `<tr data-metric="${esc(name)}"><th>${esc(name)}</th><td class="num">${esc(format(b))}</td><td class="num">${esc(format(h))}</td>${deltaCell(b, h, higher)}</tr>`;
  });
  const run = (side: string, id: string, r: RunRecord) =>
    `<th class="num" data-side="${side}">${side} <a href="${esc(runHref(id))}">${esc(id)}</a><br><span class="meta">${esc(r.started_at)}<br>${esc(facts(r))}</span></th>`;
  return (
    `<div class="table-wrap"><table class="headlines"><thead><tr><th></th>${run('base', base.id, base.record)}${run('head', head.id, head.record)}<th></th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}

const value = (v: number | null) => (v === null ? '–' : String(Number(v.toFixed(4))));

/** A scenario ID linking to its row in the run it is about, and to the other run when both have it. */
function scenarioCell(runs: ComparedRuns, id: string, primary: 'base' | 'head', both: boolean): string {
  const other = primary === 'head' ? 'base' : 'head';
  const also = both ? ` <a class="meta other-run" href="${esc(scenarioHref(runs[other].id, id))}">(${other})</a>` : '';
  return `<td><a class="scenario" href="${esc(scenarioHref(runs[primary].id, id))}">${esc(id)}</a>${also}</td>`;
}

function section(title: string, count: number, heads: readonly string[], rows: readonly string[], name: string): string {
  const body =
    rows.length === 0
      ? `<p class="empty">None.</p>`
      : `<div class="table-wrap"><table class="diff"><thead><tr>${heads.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  return `<section id="${name}" data-count="${count}"><h2>${esc(title)} (${count})</h2>${body}</section>`;
}

function regressionRow(runs: ComparedRuns, r: Regression): string {
  return (
    `<tr data-kind="${esc(r.kind)}" data-scenario="${esc(r.scenario)}">${scenarioCell(runs, r.scenario, 'head', true)}` +
    `<td>${esc(r.kind)}</td><td class="num">${value(r.before)}</td><td class="num">${value(r.after)}</td><td>${esc(r.reason)}</td></tr>`
  );
}

function fixRow(runs: ComparedRuns, f: Fix): string {
  return (
    `<tr data-kind="fix" data-scenario="${esc(f.scenario)}">${scenarioCell(runs, f.scenario, 'head', true)}` +
    `<td class="num">${value(f.before)}</td><td class="num">${value(f.after)}</td><td>${esc(f.reason)}</td></tr>`
  );
}

function costRow(runs: ComparedRuns, c: CostChange): string {
  const shown = c.kind === 'latency_p95' ? formatMs : (n: number) => String(Math.round(n));
  return (
    `<tr data-kind="${c.kind}" data-direction="${c.direction}" data-scenario="${esc(c.scenario)}">${scenarioCell(runs, c.scenario, 'head', true)}` +
    `<td>${c.kind === 'latency_p95' ? 'p95 latency' : 'mean tokens'}</td><td class="num">${esc(shown(c.before))}</td><td class="num">${esc(shown(c.after))}</td>` +
    `<td class="delta ${c.direction}">${esc(c.reason)}</td></tr>`
  );
}

function presenceRows(runs: ComparedRuns, ids: readonly string[], side: 'base' | 'head', kind: string): string[] {
  return ids.map((id) => `<tr data-kind="${kind}" data-scenario="${esc(id)}">${scenarioCell(runs, id, side, false)}</tr>`);
}

/** `/compare`: the two runs' headline numbers side by side, then what changed per scenario. */
export function comparePage(runs: ComparedRuns, diff: RunDiff): string {
  const { base, head } = runs;
  const title = `${base.id} → ${head.id}`;
  return htmlPage(
    `Compare ${title}`,
    `<nav class="crumbs"><a href="/">← all runs</a></nav><h1>Compare ${esc(title)}</h1>` +
      `<p class="note">Base <strong>${esc(base.id)}</strong>, head <strong>${esc(head.id)}</strong>; regressions as <code>helpdesk eval --baseline</code> finds them. Each scenario links to its row in the run's report.</p>` +
      headlines(runs) +
      section(
        'Regressions',
        diff.regressions.length,
        ['Scenario', 'Kind', 'Before', 'After', 'Reason'],
        diff.regressions.map((r) => regressionRow(runs, r)),
        'regressions',
      ) +
      section(
        'Fixes',
        diff.fixes.length,
        ['Scenario', 'Pass rate before', 'After', 'Reason'],
        diff.fixes.map((f) => fixRow(runs, f)),
        'fixes',
      ) +
      section('New scenarios', diff.added.length, ['Scenario (in head)'], presenceRows(runs, diff.added, 'head', 'added'), 'added') +
      section(
        'Removed scenarios',
        diff.removed.length,
        ['Scenario (in base)'],
        presenceRows(runs, diff.removed, 'base', 'removed'),
        'removed',
      ) +
      section(
        'Latency and tokens',
        diff.costs.length,
        ['Scenario', 'Measure', 'Before', 'After', 'Change'],
        diff.costs.map((c) => costRow(runs, c)),
        'costs',
      ),
  );
}
