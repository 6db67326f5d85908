import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic-write.ts';
import { StorageError } from '../../orchestrator/errors.ts';
import type { ComparisonRecord, ModelSummary } from '../results/comparison.ts';
import { escapeHtml as esc, formatMs, formatPercent, formatProbability, formatTokens, formatUsd } from './report-format.ts';
import { REPORT_CSS } from './html-style.ts';
import { markdownCell } from './markdown.ts';
import { renderTable } from './table.ts';

/** The files of a comparison, in the order writeComparison returns them. */
export const COMPARISON_FILES = ['comparison.json', 'comparison.md', 'comparison.html'] as const;

/** The columns of the models table, each with how a model fills it. */
const MODEL_COLUMNS: readonly (readonly [string, (m: ModelSummary, k: number) => string])[] = [
  ['model', (m) => (m.label === m.model ? m.model : `${m.label} (${m.model})`)],
  ['api', (m) => m.api],
  ['passed', (m) => `${m.passed}/${m.scenarios}`],
  ['pass rate', (m) => formatPercent(m.pass_rate)],
  ['pass^k', (m) => formatProbability(m.pass_hat_k)],
  ['p95 latency', (m) => formatMs(m.p95_ms)],
  ['tokens', (m) => formatTokens(m.tokens)],
  ['cost', (m) => `${formatUsd(m.cost_usd)}${m.unpriced > 0 ? ` (${m.unpriced} unpriced)` : ''}`],
];

const verdictText = (v: ComparisonRecord['scenarios'][number]['verdicts'][string]): string =>
  v === null ? '–' : v.pass ? 'pass' : `FAIL${v.class === 'flaky' ? ' (flaky)' : ''}`;

/** What the comparison found, in one sentence. */
export function comparisonSummary(record: ComparisonRecord): string {
  const n = record.scenarios.length;
  const names = record.models.map((m) => m.label).join(', ');
  const partial = record.partial ? ` (interrupted: ${record.partial.ran} of ${record.partial.selected} models ran)` : '';
  if (record.differing.length === 0) return `${n} scenarios on ${names}: the same verdict on every model${partial}`;
  return `${n} scenarios on ${names}: the models differ on ${record.differing.length}: ${record.differing.join(', ')}${partial}`;
}

/** The side-by-side tables for the terminal: the models, then the scenarios where they differ. */
export function comparisonTerminal(record: ComparisonRecord): string[] {
  const k = record.k;
  const head = MODEL_COLUMNS.map(([name]) => (name === 'pass^k' ? `pass^${k}` : name));
  const lines = [
    renderTable(
      head,
      record.models.map((m) => MODEL_COLUMNS.map(([, cell]) => cell(m, k))),
    ),
  ];
  const differing = record.scenarios.filter((s) => s.differs);
  if (differing.length > 0) {
    lines.push(
      '',
      'where the models differ:',
      renderTable(
        ['scenario', ...record.models.map((m) => m.label)],
        differing.map((s) => [s.id, ...record.models.map((m) => verdictText(s.verdicts[m.label] ?? null))]),
      ),
    );
  }
  lines.push('', comparisonSummary(record));
  return lines;
}

/** comparison.md: the same tables in GitHub Markdown (a job summary, a pull-request comment). */
export function comparisonMarkdown(record: ComparisonRecord): string {
  const k = record.k;
  const row = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  const head = MODEL_COLUMNS.map(([name]) => (name === 'pass^k' ? `pass^${k}` : name));
  const lines = [
    `# Models compared: ${record.models.map((m) => m.label).join(' vs ')}`,
    '',
    `${record.mode}, ${record.trials} trial(s) a scenario, k = ${k} · run ${record.run_id} · ${record.started_at}`,
    '',
    row(head),
    row(head.map(() => '---')),
    ...record.models.map((m) => row(MODEL_COLUMNS.map(([, cell]) => cell(m, k)))),
    '',
    comparisonSummary(record),
  ];
  const differing = record.scenarios.filter((s) => s.differs);
  if (differing.length > 0) {
    lines.push('', '## Where the models differ', '', row(['scenario', ...record.models.map((m) => m.label)]));
    lines.push(row(['---', ...record.models.map(() => '---')]));
    for (const s of differing) {
      lines.push(
        row([
          s.id,
          ...record.models.map((m) => {
            const v = s.verdicts[m.label] ?? null;
            return v?.reason ? `${verdictText(v)}: ${v.reason}` : verdictText(v);
          }),
        ]),
      );
    }
  }
  lines.push('', `Each model's full report: ${record.models.map((m) => `[${m.label}](${m.report}/summary.md)`).join(', ')}.`);
  return `${lines.join('\n')}\n`;
}

// Nothing but inline style: the page loads nothing and runs nothing.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** comparison.html: the models side by side, every scenario's verdicts in columns, the differing ones first and marked. */
export function comparisonHtml(record: ComparisonRecord): string {
  const k = record.k;
  const modelRows = record.models
    .map(
      (m) =>
        `<tr data-model="${esc(m.label)}" data-status="${m.pass ? 'passed' : 'failed'}">` +
        MODEL_COLUMNS.map(([name, cell], i) =>
          i === 0
            ? `<td><a href="${esc(encodeURI(m.report))}/report.html">${esc(cell(m, k))}</a></td>`
            : `<td class="num" data-metric="${esc(name)}">${esc(cell(m, k))}</td>`,
        ).join('') +
        '</tr>',
    )
    .join('');
  const ordered = [...record.scenarios.filter((s) => s.differs), ...record.scenarios.filter((s) => !s.differs)];
  const scenarioRows = ordered
    .map((s) => {
      const cells = record.models.map((m) => {
        const v = s.verdicts[m.label] ?? null;
        const status = v === null ? 'missing' : v.pass ? 'pass' : 'fail';
        const link = `${encodeURI(m.report)}/report.html#scenario-${encodeURIComponent(s.id)}`;
        const title = v?.reason ? ` title="${esc(v.reason)}"` : '';
        const text = v === null ? '–' : `<a href="${esc(link)}"${title}>${esc(verdictText(v))}</a>`;
        return `<td class="verdict ${status}" data-model="${esc(m.label)}">${text}</td>`;
      });
      return `<tr data-scenario="${esc(s.id)}"${s.differs ? ' class="differs"' : ''}><td>${esc(s.id)}${s.differs ? ' <span class="badge fail">differs</span>' : ''}</td>${cells.join('')}</tr>`;
    })
    .join('');
  const head = MODEL_COLUMNS.map(
    ([name], i) => `<th${i === 0 ? '' : ' class="num"'}>${esc(name === 'pass^k' ? `pass^${k}` : name)}</th>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mcp-helpdesk models compared · ${esc(record.run_id)}</title>
<style>${REPORT_CSS}
td.verdict.pass a { color: var(--ok); } td.verdict.fail a { color: var(--bad); font-weight: 600; } td.verdict.missing { color: var(--muted); }
tr.differs td:first-child { border-left: 3px solid var(--bad); }
</style>
</head>
<body>
<main>
<h1>Models compared: ${esc(record.models.map((m) => m.label).join(' vs '))}</h1>
<p class="run-facts">${esc(`${record.mode} · ${record.trials} trial(s) a scenario · k = ${k} · run ${record.run_id} · ${record.started_at}`)}</p>
<p id="summary">${esc(comparisonSummary(record))}</p>
<div class="table-wrap"><table class="models"><thead><tr>${head}</tr></thead><tbody>${modelRows}</tbody></table></div>
<h2>Scenarios (${record.differing.length} differ)</h2>
<div class="table-wrap"><table class="scenarios"><thead><tr><th>scenario</th>${record.models.map((m) => `<th>${esc(m.label)}</th>`).join('')}</tr></thead><tbody>${scenarioRows}</tbody></table></div>
</main>
</body>
</html>
`;
}

/** Writes comparison.json, .md and .html into `dir`, each whole or not at all; returns their paths. */
export function writeComparison(record: ComparisonRecord, dir: string): string[] {
  const texts = [`${JSON.stringify(record, null, 2)}\n`, comparisonMarkdown(record), comparisonHtml(record)];
  const written: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    COMPARISON_FILES.forEach((name, i) => {
      const path = join(dir, name);
      writeFileAtomic(path, texts[i] as string);
      written.push(path);
    });
  } catch (error) {
    throw new StorageError(
      dir,
      `could not write the comparison (${(error as Error).message}); ${written.length > 0 ? `written whole: ${written.join(', ')}` : 'no comparison file was written'}; each model's own reports are in its folder`,
      { cause: error },
    );
  }
  return written;
}
