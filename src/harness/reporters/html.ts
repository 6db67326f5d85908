import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { runPassed } from '../results/gates.ts';
import type { RunRecord, ScenarioRecord } from '../results/records.ts';
import { capTexts, REPORT_TEXT_MAX_CHARS } from '../results/cap.ts';
import { endToEndStrip, latencySeries, percentileChart } from './html-charts.ts';
import { REPORT_CSS } from './html-style.ts';
import { scenarioTimeline } from './html-timeline.ts';
import { judgeTotals, variationGroups } from './answer-grades.ts';
import {
  escapeHtml as esc,
  formatInterval,
  formatMs,
  formatPercent,
  formatProbability,
  formatTokens,
  formatUsd,
  modelOf,
  passAt,
  passHat,
  runUsage,
  verdict,
} from './report-format.ts';
import { resilienceHtml } from './resilience.ts';

/**
 * The page's only script. The scenario table is paged from the embedded index of IDs and
 * statuses (filter by ID, failures only); the rows and timelines of the scenarios on the page are
 * decompressed on demand from their gzip chunks, so a run of 10,000 scenarios opens about as fast as one of ten. A link to
 * #scenario-<id> turns to the page of that scenario and opens its timeline.
 */
const SCRIPT = `(() => {
  const root = document.documentElement;
  const index = JSON.parse(document.getElementById('run-index').textContent);
  root.dataset.runId = index.run_id;
  const rows = index.rows;
  const $ = (id) => document.getElementById(id);
  const body = $('scenario-rows'), timelines = $('timelines'), filter = $('filter'), failedOnly = $('failed-only');
  const chunks = new Map();
  const decode = async (n) => {
    const text = atob($('page-' + n).textContent.trim());
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(stream).text());
  };
  const chunk = (n) => {
    if (!chunks.has(n)) chunks.set(n, decode(n));
    return chunks.get(n);
  };
  let page = 0;
  let drawing = 0;
  const shown = () => {
    const q = filter.value.trim().toLowerCase();
    return rows.filter((r) => (!failedOnly.checked || r[1] !== 'passed') && (!q || r[0].toLowerCase().includes(q)));
  };
  const render = async () => {
    const list = shown();
    const pages = Math.max(1, Math.ceil(list.length / index.page_size));
    page = Math.max(0, Math.min(page, pages - 1));
    const slice = list.slice(page * index.page_size, (page + 1) * index.page_size);
    $('page-info').textContent = list.length + ' of ' + rows.length + ' scenarios · page ' + (page + 1) + ' of ' + pages;
    $('prev-page').disabled = page === 0;
    $('next-page').disabled = page >= pages - 1;
    const mine = ++drawing;
    root.dataset.timelines = 'loading';
    const parts = await Promise.all(slice.map(async (r) => { const c = await chunk(r[2]); return [c.rows[r[3]], c.timelines[r[3]]]; }));
    if (mine !== drawing) return;
    body.innerHTML = parts.map((p) => p[0]).join('');
    timelines.innerHTML = parts.map((p) => p[1]).join('');
    root.dataset.timelines = 'ready';
  };
  const restart = () => { page = 0; render(); };
  filter.addEventListener('input', restart);
  failedOnly.addEventListener('change', restart);
  $('prev-page').addEventListener('click', () => { page -= 1; render(); });
  $('next-page').addEventListener('click', () => { page += 1; render(); });
  const timelineList = () => timelines.querySelectorAll('details.scenario');
  $('expand-all').addEventListener('click', () => timelineList().forEach((d) => { d.open = true; }));
  $('collapse-all').addEventListener('click', () => timelineList().forEach((d) => { d.open = false; }));
  const openTarget = async () => {
    const id = location.hash.startsWith('#scenario-') ? decodeURIComponent(location.hash.slice(10)) : null;
    if (id === null || !rows.some((r) => r[0] === id)) return;
    if (!shown().some((r) => r[0] === id)) { filter.value = ''; failedOnly.checked = false; }
    page = Math.floor(shown().findIndex((r) => r[0] === id) / index.page_size);
    await render();
    const target = document.getElementById('scenario-' + id);
    if (target) { target.open = true; target.scrollIntoView(); }
  };
  window.addEventListener('hashchange', openTarget);
  if (location.hash) openTarget(); else render();
})();`;

// The Content-Security-Policy allows this script by hash, inline styles, and nothing from anywhere:
// a report that tried to load something would show a console error instead.
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

/** JSON that cannot end the script element it sits in. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function card(metric: string, name: string, value: string, tone = ''): string {
  return `<div class="card ${tone}" data-metric="${metric}"><span class="value">${esc(value)}</span><span class="name">${esc(name)}</span></div>`;
}

function overview(record: RunRecord): string {
  const t = record.totals;
  const usage = runUsage(record.scenarios);
  const infraScenarios = record.scenarios.filter((s) => verdict(s, record.k).status === 'error').length;
  const cost = formatUsd(usage.costUsd) + (usage.unpriced > 0 ? '*' : '');
  const judge = judgeTotals(record);
  return `<section class="cards" aria-label="Overview">${[
    card('scenarios', 'scenarios', String(t.scenarios)),
    card('passed', 'passed', String(t.passed), t.passed > 0 ? 'good' : ''),
    card('failed', 'failed', String(t.failed), t.failed > 0 ? 'bad' : ''),
    card('flaky', 'flaky', String(t.flaky), t.flaky > 0 ? 'warn' : ''),
    card(
      'infra',
      `infra only · ${t.infra_errors} infra trial${t.infra_errors === 1 ? '' : 's'}`,
      String(infraScenarios),
      t.infra_errors > 0 ? 'warn' : '',
    ),
    card('pass-rate', 'trial pass rate', formatPercent(t.pass_rate)),
    card('tokens', 'tokens', formatTokens(usage.tokens)),
    card('cost', 'estimated cost', cost),
    ...(judge
      ? [card('judge', `judge calls · ${formatTokens(judge.tokens)} tokens · ${formatUsd(judge.costUsd)}`, String(judge.calls))]
      : []),
  ].join(
    '',
  )}</section>${usage.unpriced > 0 ? `<p class="note">* ${usage.unpriced} trials used a model without a price in table ${esc(record.price_table)}; their cost is not included.</p>` : ''}`;
}

function scenarioRow(s: ScenarioRecord, k: number): string {
  const outcome = verdict(s, k);
  const num = (text: string) => `<td class="num">${esc(text)}</td>`;
  const row =
    `<tr data-scenario="${esc(s.id)}" data-status="${outcome.status}">` +
    `<td><a href="#scenario-${esc(s.id)}">${esc(s.id)}</a></td>` +
    `<td><span class="badge ${outcome.status}">${outcome.status}</span></td>` +
    num(`${s.summary.c}/${s.summary.n}${s.summary.infra ? ` (+${s.summary.infra} infra)` : ''}`) +
    num(formatProbability(passHat(s, k))) +
    num(formatProbability(passAt(s, k))) +
    `<td class="class-${esc(s.summary.class)}">${esc(s.summary.class)}</td>` +
    num(formatInterval(s.summary.interval95)) +
    num(formatMs(s.summary.p50_ms)) +
    num(formatMs(s.summary.p95_ms)) +
    num(formatTokens(s.summary.tokens_mean)) +
    num(formatUsd(s.summary.cost_usd)) +
    '</tr>';
  // The reason gets a full-width row of its own under the scenario, so the numbers stay readable.
  const reason = outcome.type
    ? `<tr class="reason-row" data-reason-for="${esc(s.id)}"><td colspan="${TABLE_HEADS.length}"><code>${esc(outcome.type)}</code> ${esc(outcome.message ?? '')}</td></tr>`
    : '';
  return row + reason;
}

const TABLE_HEADS = ['Scenario', 'Result', 'Passed', 'pass^k', 'pass@k', 'Class', '95% interval', 'p50', 'p95', 'Tokens (mean)', 'Cost'];
const NUMERIC_COLUMNS = new Set([2, 3, 4, 6, 7, 8, 9, 10]);

function scenarioTable(record: RunRecord): string {
  const k = record.k;
  const heads = TABLE_HEADS.map((h) => h.replace(/\^k$|@k$/, (m) => `${m[0]}${k}`));
  return (
    `<div class="toolbar"><input type="search" id="filter" placeholder="filter by scenario ID" aria-label="filter by scenario ID">` +
    `<label><input type="checkbox" id="failed-only"> failures only</label>` +
    `<button type="button" id="prev-page">‹ previous</button><span id="page-info"></span><button type="button" id="next-page">next ›</button></div>` +
    `<div class="table-wrap"><table class="scenarios"><caption>pass^${k}: chance that ${k} trials all pass; pass@${k}: that at least one does; 95% Wilson interval of the pass rate. ` +
    `Cost estimated from price table ${esc(record.price_table)} (USD per million tokens); "unknown" when the model is not in it.</caption>` +
    `<thead><tr>${heads.map((h, i) => `<th${NUMERIC_COLUMNS.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead>` +
    '<tbody id="scenario-rows"></tbody></table></div>'
  );
}

/** Scenarios per page of the table, and per compressed chunk of timelines (the same, so a page reads one chunk). */
export const PAGE_SIZE = 100;

/** The index the page script filters and pages by: each scenario's ID, status, chunk and place in it. */
function rowIndex(record: RunRecord): unknown {
  return {
    run_id: record.run_id,
    page_size: PAGE_SIZE,
    rows: record.scenarios.map((s, i) => [s.id, verdict(s, record.k).status, Math.floor(i / PAGE_SIZE), i % PAGE_SIZE]),
  };
}

/**
 * The table rows and timelines of the run in gzip chunks of PAGE_SIZE scenarios, base64 in inert
 * script elements: the page decompresses a chunk when one of its scenarios is shown. `full` gives
 * a scenario's whole record (its transcripts) where the run record holds a thin one; one chunk's
 * records are in memory at a time.
 */
function* pageChunks(record: RunRecord, options: HtmlOptions, full: (s: ScenarioRecord) => ScenarioRecord): Generator<string> {
  for (let from = 0, n = 0; from < record.scenarios.length; from += PAGE_SIZE, n += 1) {
    const scenarios = record.scenarios.slice(from, from + PAGE_SIZE);
    const rows = scenarios.map((s) => scenarioRow(s, record.k));
    const timelines = scenarios.map((s) =>
      scenarioTimeline(capTexts(full(s), REPORT_TEXT_MAX_CHARS), record.k, options.root, options.traceUrl),
    );
    yield `<script type="application/gzip" id="page-${n}">${gzipSync(JSON.stringify({ rows, timelines })).toString('base64')}</script>\n`;
  }
}

function gatesAndRegressions(record: RunRecord): string {
  const gates =
    record.gates.length === 0
      ? ''
      : `<h2>Gates</h2><ul class="gates">${record.gates
          .map(
            (g) =>
              `<li class="${g.informational ? 'info' : g.pass ? 'pass' : 'fail'}">${g.informational ? 'ℹ' : g.pass ? '✓' : '✗'} <strong>${esc(g.name)}</strong>: ${esc(g.reason)}</li>`,
          )
          .join('')}</ul>`;
  const baseline = record.baseline;
  if (!baseline || baseline.regressions.length === 0) return gates;
  const value = (v: number | null) => (v === null ? '–' : String(Number(v.toFixed(4))));
  return `${gates}<h2>Regressions against run ${esc(baseline.run_id)}</h2><table class="regressions"><thead><tr><th>Scenario</th><th>Kind</th><th class="num">Before</th><th class="num">After</th><th>Reason</th></tr></thead><tbody>${baseline.regressions
    .map(
      (r) =>
        `<tr><td>${esc(r.scenario)}</td><td>${esc(r.kind)}</td><td class="num">${value(r.before)}</td><td class="num">${value(r.after)}</td><td>${esc(r.reason)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

/** Each classified change once: kind, name, risk, evidence and the scenarios it touches. */
function drift(record: RunRecord): string {
  if (record.drift.length === 0) return '';
  return `<h2>Drift: what changed since the recordings</h2><ul class="drift">${record.drift
    .map(
      (d) =>
        `<li><span class="badge drift-${esc(d.kind)}">${esc(d.kind)}</span> <strong>${esc(d.change)}</strong>` +
        ` <span class="meta">${d.scenarios.length} scenario${d.scenarios.length === 1 ? '' : 's'}: ${d.scenarios.map((id) => `<a href="#scenario-${esc(id)}">${esc(id)}</a>`).join(', ')}</span>` +
        `<pre class="diff">${esc(d.detail)}</pre><p class="note">${esc(d.risk)}</p></li>`,
    )
    .join('')}</ul>`;
}

/** Per scenario with variations: phrasings passed and each phrasing's result and text. */
function variations(record: RunRecord): string {
  const groups = variationGroups(record);
  if (groups.length === 0) return '';
  const rows = groups.map(
    (g) =>
      `<tr><td>${esc(g.scenario)}</td><td class="num">${g.passed}/${g.cases.length}</td>` +
      `<td class="num">${esc(formatPercent(g.trialsCounted === 0 ? null : g.trialsPassed / g.trialsCounted))}</td><td><ul class="phrasings">${g.cases
        .map(
          (c) =>
            `<li class="${c.summary.pass ? 'pass' : 'fail'}">${c.summary.pass ? '✓' : '✗'} <a href="#scenario-${esc(c.id)}">${esc(c.variation?.variation ?? c.id)}</a>${record.trials > 1 ? ` ${c.summary.c}/${c.summary.n}` : ''} <q>${esc(c.variation?.text ?? '')}</q></li>`,
        )
        .join('')}</ul></td></tr>`,
  );
  return `<h2>Variations</h2><div class="table-wrap"><table class="variations"><thead><tr><th>Scenario</th><th class="num">Passed</th><th class="num">Pass rate</th><th>Per phrasing</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function latency(record: RunRecord): string {
  const { queries, tools } = latencySeries(record);
  return (
    `<h2>Latency</h2><p class="note">p50, p95 and p99 over the trials that ran (infrastructure errors excluded); each chart has its own scale.</p>` +
    `<div class="charts">${percentileChart('End to end and model calls', queries)}` +
    `${tools.length > 0 ? percentileChart('Tool calls by server/tool', tools) : '<p class="note">No tool calls.</p>'}</div>` +
    `<h2>End-to-end distribution</h2>${endToEndStrip(record.scenarios)}`
  );
}

function facts(record: RunRecord): string {
  return [
    `run ${record.run_id}`,
    `started ${record.started_at}`,
    `mode ${record.mode}${record.authored ? ' (authored cassettes)' : ''}`,
    `model ${modelOf(record)}`,
    `${record.trials} trial${record.trials === 1 ? '' : 's'} per scenario, k = ${record.k}`,
    `${(record.duration_ms / 1000).toFixed(1)} s`,
    ...(record.shard ? [`shard ${record.shard.index}/${record.shard.count}`] : []),
    `prices ${record.price_table}`,
  ]
    .map(esc)
    .join(' · ');
}

/** Options for the HTML report. */
export interface HtmlOptions {
  /** Scenario files are shown relative to this folder when inside it. */
  readonly root?: string;
  /** HELPDESK_TRACE_URL: a trial's trace ID links there ("{trace_id}" replaced). */
  readonly traceUrl?: string | undefined;
}

/**
 * report.html, piece by piece: the whole run in one self-contained page (inline CSS and SVG, one
 * small script, no requests). `full` gives a scenario's whole record where the run keeps thin
 * ones (a journal); by default the record's own scenarios are whole.
 */
export function* reportHtmlParts(
  record: RunRecord,
  options: HtmlOptions = {},
  full: (s: ScenarioRecord) => ScenarioRecord = (s) => s,
): Generator<string> {
  const failed = !runPassed(record);
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${failed ? '✗' : '✓'} mcp-helpdesk eval · ${esc(record.run_id)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>mcp-helpdesk eval</h1>
<p class="run-facts">${facts(record)}</p>
${overview(record)}
${gatesAndRegressions(record)}
${drift(record)}
${resilienceHtml(record.resilience)}
<h2>Scenarios</h2>
${scenarioTable(record)}
${variations(record)}
${latency(record)}
<h2>Timelines</h2>
<p class="note">The timelines of the scenarios on the table's page.</p>
<div class="toolbar"><button type="button" id="expand-all">Expand all</button><button type="button" id="collapse-all">Collapse all</button></div>
<div id="timelines"></div>
</main>
<script type="application/json" id="run-index">${embeddedJson(rowIndex(record))}</script>
`;
  yield* pageChunks(record, options, full);
  yield `<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** report.html as one string (small runs and tests; writeReports streams the parts to the file). */
export function reportHtml(record: RunRecord, options: HtmlOptions = {}): string {
  return [...reportHtmlParts(record, options)].join('');
}
