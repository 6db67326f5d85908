import { createHash } from 'node:crypto';
import type { RunRecord, ScenarioRecord } from '../results.ts';
import { endToEndStrip, latencySeries, percentileChart } from './html-charts.ts';
import { REPORT_CSS } from './html-style.ts';
import { scenarioTimeline } from './html-timeline.ts';
import { judgeTotals, variationGroups } from './answer-grades.ts';
import {
  escapeHtml as esc, formatInterval, formatMs, formatPercent, formatProbability, formatTokens, formatUsd, modelOf, passAt,
  passHat, runUsage, verdict,
} from './report-format.ts';
import { resilienceHtml } from './resilience.ts';

/**
 * The page's only script: expand/collapse the timelines, show failures only, open the timeline a
 * link points at, and read the embedded record (which proves the data block parses).
 */
const SCRIPT = `(() => {
  const timelines = () => document.querySelectorAll('details.scenario');
  document.getElementById('expand-all').addEventListener('click', () => timelines().forEach((d) => { d.open = true; }));
  document.getElementById('collapse-all').addEventListener('click', () => timelines().forEach((d) => { d.open = false; }));
  const failedOnly = document.getElementById('failed-only');
  failedOnly.addEventListener('change', () => document.body.classList.toggle('failed-only', failedOnly.checked));
  const openTarget = () => {
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && target.tagName === 'DETAILS') target.open = true;
  };
  window.addEventListener('hashchange', openTarget);
  openTarget();
  const record = JSON.parse(document.getElementById('run-record').textContent);
  document.documentElement.dataset.runId = record.run_id;
})();`;

// The Content-Security-Policy allows this script by hash, inline styles, and nothing from anywhere:
// a report that tried to load something would show a console error instead.
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

/** JSON that cannot end the script element it sits in. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
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
    card('infra', `infra only · ${t.infra_errors} infra trial${t.infra_errors === 1 ? '' : 's'}`, String(infraScenarios), t.infra_errors > 0 ? 'warn' : ''),
    card('pass-rate', 'trial pass rate', formatPercent(t.pass_rate)),
    card('tokens', 'tokens', formatTokens(usage.tokens)),
    card('cost', 'estimated cost', cost),
    ...(judge ? [card('judge', `judge calls · ${formatTokens(judge.tokens)} tokens · ${formatUsd(judge.costUsd)}`, String(judge.calls))] : []),
  ].join('')}</section>${usage.unpriced > 0 ? `<p class="note">* ${usage.unpriced} trials used a model without a price in table ${esc(record.price_table)}; their cost is not included.</p>` : ''}`;
}

function scenarioRow(s: ScenarioRecord, k: number): string {
  const outcome = verdict(s, k);
  const num = (text: string) => `<td class="num">${esc(text)}</td>`;
  const row = `<tr data-scenario="${esc(s.id)}" data-status="${outcome.status}">`
    + `<td><a href="#scenario-${esc(s.id)}">${esc(s.id)}</a></td>`
    + `<td><span class="badge ${outcome.status}">${outcome.status}</span></td>`
    + num(`${s.summary.c}/${s.summary.n}${s.summary.infra ? ` (+${s.summary.infra} infra)` : ''}`)
    + num(formatProbability(passHat(s, k))) + num(formatProbability(passAt(s, k)))
    + `<td class="class-${esc(s.summary.class)}">${esc(s.summary.class)}</td>`
    + num(formatInterval(s.summary.interval95)) + num(formatMs(s.summary.p50_ms)) + num(formatMs(s.summary.p95_ms))
    + num(formatTokens(s.summary.tokens_mean)) + num(formatUsd(s.summary.cost_usd)) + '</tr>';
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
  return `<div class="table-wrap"><table class="scenarios"><caption>pass^${k}: chance that ${k} trials all pass; pass@${k}: that at least one does; 95% Wilson interval of the pass rate. `
    + `Cost estimated from price table ${esc(record.price_table)} (USD per million tokens); "unknown" when the model is not in it.</caption>`
    + `<thead><tr>${heads.map((h, i) => `<th${NUMERIC_COLUMNS.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead>`
    + `<tbody>${record.scenarios.map((s) => scenarioRow(s, k)).join('')}</tbody></table></div>`;
}

function gatesAndRegressions(record: RunRecord): string {
  const gates = record.gates.length === 0 ? '' : `<h2>Gates</h2><ul class="gates">${record.gates
    .map((g) => `<li class="${g.pass ? 'pass' : 'fail'}">${g.pass ? '✓' : '✗'} <strong>${esc(g.name)}</strong>: ${esc(g.reason)}</li>`).join('')}</ul>`;
  const baseline = record.baseline;
  if (!baseline || baseline.regressions.length === 0) return gates;
  const value = (v: number | null) => (v === null ? '–' : String(Number(v.toFixed(4))));
  return `${gates}<h2>Regressions against run ${esc(baseline.run_id)}</h2><table class="regressions"><thead><tr><th>Scenario</th><th>Kind</th><th class="num">Before</th><th class="num">After</th><th>Reason</th></tr></thead><tbody>${baseline.regressions
    .map((r) => `<tr><td>${esc(r.scenario)}</td><td>${esc(r.kind)}</td><td class="num">${value(r.before)}</td><td class="num">${value(r.after)}</td><td>${esc(r.reason)}</td></tr>`).join('')}</tbody></table>`;
}

/** Each classified change once: kind, name, risk, evidence and the scenarios it touches. */
function drift(record: RunRecord): string {
  if (record.drift.length === 0) return '';
  return `<h2>Drift: what changed since the recordings</h2><ul class="drift">${record.drift.map((d) => `<li><span class="badge drift-${esc(d.kind)}">${esc(d.kind)}</span> <strong>${esc(d.change)}</strong>`
    + ` <span class="meta">${d.scenarios.length} scenario${d.scenarios.length === 1 ? '' : 's'}: ${d.scenarios.map((id) => `<a href="#scenario-${esc(id)}">${esc(id)}</a>`).join(', ')}</span>`
    + `<pre class="diff">${esc(d.detail)}</pre><p class="note">${esc(d.risk)}</p></li>`).join('')}</ul>`;
}

/** Per scenario with variations: phrasings passed and each phrasing's result and text. */
function variations(record: RunRecord): string {
  const groups = variationGroups(record);
  if (groups.length === 0) return '';
  const rows = groups.map((g) => `<tr><td>${esc(g.scenario)}</td><td class="num">${g.passed}/${g.cases.length}</td>`
    + `<td class="num">${esc(formatPercent(g.trialsCounted === 0 ? null : g.trialsPassed / g.trialsCounted))}</td><td><ul class="phrasings">${g.cases
      .map((c) => `<li class="${c.summary.pass ? 'pass' : 'fail'}">${c.summary.pass ? '✓' : '✗'} <a href="#scenario-${esc(c.id)}">${esc(c.variation?.variation ?? c.id)}</a>${record.trials > 1 ? ` ${c.summary.c}/${c.summary.n}` : ''} <q>${esc(c.variation?.text ?? '')}</q></li>`)
      .join('')}</ul></td></tr>`);
  return `<h2>Variations</h2><div class="table-wrap"><table class="variations"><thead><tr><th>Scenario</th><th class="num">Passed</th><th class="num">Pass rate</th><th>Per phrasing</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function latency(record: RunRecord): string {
  const { queries, tools } = latencySeries(record);
  return `<h2>Latency</h2><p class="note">p50, p95 and p99 over the trials that ran (infrastructure errors excluded); each chart has its own scale.</p>`
    + `<div class="charts">${percentileChart('End to end and model calls', queries)}`
    + `${tools.length > 0 ? percentileChart('Tool calls by server/tool', tools) : '<p class="note">No tool calls.</p>'}</div>`
    + `<h2>End-to-end distribution</h2>${endToEndStrip(record.scenarios)}`;
}

function facts(record: RunRecord): string {
  return [
    `run ${record.run_id}`, `started ${record.started_at}`, `mode ${record.mode}${record.authored ? ' (authored cassettes)' : ''}`,
    `model ${modelOf(record)}`, `${record.trials} trial${record.trials === 1 ? '' : 's'} per scenario, k = ${record.k}`,
    `${(record.duration_ms / 1000).toFixed(1)} s`, ...(record.shard ? [`shard ${record.shard.index}/${record.shard.count}`] : []),
    `prices ${record.price_table}`,
  ].map(esc).join(' · ');
}

/** Options for the HTML report. */
export interface HtmlOptions {
  /** Scenario files are shown relative to this folder when inside it. */
  readonly root?: string;
}

/** report.html: the whole run in one self-contained page (inline CSS and SVG, one small script, no requests). */
export function reportHtml(record: RunRecord, options: HtmlOptions = {}): string {
  const failed = record.totals.failed > 0 || record.gates.some((g) => !g.pass);
  return `<!doctype html>
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
<div class="toolbar"><button type="button" id="expand-all">Expand all</button><button type="button" id="collapse-all">Collapse all</button>
<label><input type="checkbox" id="failed-only"> failures only</label></div>
${record.scenarios.map((s) => scenarioTimeline(s, record.k, options.root)).join('\n')}
</main>
<script type="application/json" id="run-record">${embeddedJson(record)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
