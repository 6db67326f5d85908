import { escapeHtml as esc, formatMs, formatPercent } from '../reporters/report-format.ts';
import { htmlPage, runHref } from './html-page.ts';
import { runPassed } from '../results/gates.ts';
import type { Headline } from './results-file.ts';
import type { RunEntry } from './runs-index.ts';
import type { ComparisonRecord } from '../results/comparison.ts';

const HEADS = ['Run', 'Started', 'Mode', 'Model', 'Scenarios', 'Passed', 'Failed', 'Pass rate', 'Duration', 'Compare'];
const NUMERIC = new Set([4, 5, 6, 7, 8]);

const compareHref = (base: string, head: string) => `/compare?base=${encodeURIComponent(base)}&head=${encodeURIComponent(head)}`;

/** A numeric cell of the runs table. */
const num = (text: string, metric: string) => `<td class="num" data-metric="${metric}">${esc(text)}</td>`;

function readableRow(id: string, h: Headline, previous: string | undefined): string {
  const named = h.run_id === id ? '' : ` <span class="meta">(run ${esc(h.run_id)})</span>`;
  const partial = h.partial ? ` <span class="badge error">partial ${h.partial.ran}/${h.partial.selected}</span>` : '';
  const failed = !runPassed(h);
  return (
    `<tr data-run="${esc(id)}" data-status="${failed ? 'failed' : 'passed'}">` +
    `<td><a href="${esc(runHref(id))}">${esc(id)}</a>${named}${partial}</td>` +
    `<td>${esc(h.started_at)}</td><td>${esc(h.mode)}</td><td>${esc(h.model ?? 'n/a')}</td>` +
    num(String(h.totals.scenarios), 'scenarios') +
    num(String(h.totals.passed), 'passed') +
    num(String(h.totals.failed), 'failed') +
    num(formatPercent(h.totals.pass_rate), 'pass-rate') +
    num(formatMs(h.duration_ms), 'duration') +
    `<td>${previous === undefined ? '' : `<a class="vs-previous" href="${esc(compareHref(previous, id))}">vs ${esc(previous)}</a>`}</td></tr>`
  );
}

/** A comparison of models: its models in the model column, how many scenarios differ where the comparison link goes. */
function comparisonRow(id: string, c: ComparisonRecord): string {
  const each = (value: (m: ComparisonRecord['models'][number]) => string) => c.models.map(value).join(' · ');
  return (
    `<tr data-run="${esc(id)}" data-status="comparison">` +
    `<td><a href="${esc(runHref(id))}">${esc(id)}</a> <span class="badge">models compared</span></td>` +
    `<td>${esc(c.started_at)}</td><td>${esc(c.mode)}</td><td>${esc(c.models.map((m) => m.label).join(' vs '))}</td>` +
    num(String(c.scenarios.length), 'scenarios') +
    num(
      each((m) => String(m.passed)),
      'passed',
    ) +
    num(
      each((m) => String(m.failed)),
      'failed',
    ) +
    num(
      each((m) => formatPercent(m.pass_rate)),
      'pass-rate',
    ) +
    num(formatMs(c.duration_ms), 'duration') +
    `<td><a href="${esc(runHref(id))}">${c.differing.length} scenario${c.differing.length === 1 ? '' : 's'} differ</a></td></tr>`
  );
}

function unreadableRow(id: string, reason: string): string {
  return (
    `<tr class="unreadable" data-run="${esc(id)}" data-status="unreadable"><td>${esc(id)}</td>` +
    `<td class="reason" colspan="${HEADS.length - 1}">unreadable: ${esc(reason)}</td></tr>`
  );
}

/** Two selects to compare any two readable runs; by default the newest against the one before it. */
function picker(ids: readonly string[]): string {
  if (ids.length < 2) return '<p class="note">Two readable runs are needed to compare.</p>';
  const options = (selected: string) =>
    ids.map((id) => `<option value="${esc(id)}"${id === selected ? ' selected' : ''}>${esc(id)}</option>`).join('');
  return (
    `<form class="pick" method="get" action="/compare">` +
    `<label>base <select name="base" id="base">${options(ids[1] ?? '')}</select></label>` +
    `<label>head <select name="head" id="head">${options(ids[0] ?? '')}</select></label>` +
    `<button type="submit" id="compare">Compare</button></form>`
  );
}

/** `/`: the runs of the served folder, newest first, and a form to compare two of them. */
export function indexPage(root: string, entries: readonly RunEntry[]): string {
  const readable = entries.flatMap((e) => (e.state === 'readable' ? [e.id] : []));
  const compared = entries.filter((e) => e.state === 'comparison').length;
  const unreadable = entries.filter((e) => e.state === 'unreadable').length;
  const rows = entries.map((e) => {
    if (e.state === 'unreadable') return unreadableRow(e.id, e.reason);
    if (e.state === 'comparison') return comparisonRow(e.id, e.comparison);
    return readableRow(e.id, e.headline, readable[readable.indexOf(e.id) + 1]);
  });
  const table =
    entries.length === 0
      ? '<p class="empty">No runs yet: <code>helpdesk eval</code> writes one folder per run here.</p>'
      : `<div class="table-wrap"><table class="runs"><thead><tr>${HEADS.map((h, i) => `<th${NUMERIC.has(i) ? ' class="num"' : ''}>${h}</th>`).join('')}</tr></thead>` +
        `<tbody>${rows.join('')}</tbody></table></div>`;
  return htmlPage(
    'mcp-helpdesk runs',
    `<h1>mcp-helpdesk runs</h1><p class="run-facts">${esc(root)} · ${readable.length} run${readable.length === 1 ? '' : 's'}` +
      `${compared > 0 ? ` · ${compared} comparison${compared === 1 ? '' : 's'} of models` : ''}` +
      `${unreadable > 0 ? ` · ${unreadable} unreadable` : ''}</p>${picker(readable)}${table}`,
  );
}
