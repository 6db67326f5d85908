import { resilienceRows, type ResilienceRecord } from '../results/resilience-record.ts';
import { escapeHtml as esc } from './report-format.ts';
import { renderTable } from './table.ts';

/** A matrix cell in a few characters: ✓, ✗ or "1/2 ✗" when some tools' runs of the kind failed; "·" when none ran. */
export function resilienceMark(cell: { runs: number; failed: number } | undefined): string {
  if (!cell) return '·';
  if (cell.failed === 0) return cell.runs > 1 ? `✓ ${cell.runs}` : '✓';
  return cell.runs > 1 ? `✗ ${cell.failed}/${cell.runs}` : '✗';
}

function counts(record: ResilienceRecord): { passed: number; total: number } {
  return { passed: record.cells.filter((c) => c.pass).length, total: record.cells.length };
}

/** The headline: how many faulted runs kept every invariant. */
export function resilienceHeadline(record: ResilienceRecord): string {
  const { passed, total } = counts(record);
  const skipped = record.skipped.length > 0 ? `; ${record.skipped.length} scenario(s) left out` : '';
  return `fault matrix: ${passed} of ${total} faulted runs kept every invariant${skipped}`;
}

/** The failing cells, one line each: scenario × tool × kind and the first broken invariant. */
export function failingCells(record: ResilienceRecord): string[] {
  return record.cells
    .filter((c) => !c.pass)
    .map((c) => {
      const failure = c.checks.find((check) => !check.pass);
      return `${c.scenario} × ${c.tool} × ${c.kind}: [${failure?.name ?? '?'}] ${failure?.reason ?? 'failed'}`;
    });
}

/** The terminal's resilience matrix: scenario × fault kind, then each failing run with its reason. */
export function resilienceTerminal(record: ResilienceRecord): string[] {
  const rows = resilienceRows(record).map((row) => [row.scenario, ...record.kinds.map((kind) => resilienceMark(row.cells.get(kind)))]);
  const lines = [renderTable(['scenario', ...record.kinds], rows)];
  const failing = failingCells(record);
  if (failing.length > 0) lines.push('', ...failing.map((line) => `✗ ${line}`));
  for (const skip of record.skipped) lines.push(`- ${skip.scenario} left out: ${skip.reason}`);
  lines.push('', resilienceHeadline(record));
  return lines;
}

/** report.html's resilience section: the matrix with each failing cell's reason as its title. */
export function resilienceHtml(record: ResilienceRecord | null): string {
  if (!record) return '';
  const rows = resilienceRows(record).map((row) => {
    const cells = record.kinds.map((kind) => {
      const cell = row.cells.get(kind);
      const state = !cell ? 'skipped' : cell.failed === 0 ? 'pass' : 'fail';
      return `<td class="num"><span class="badge ${state}" title="${esc(cell?.reason ?? `${cell?.runs ?? 0} run(s), every invariant kept`)}">${esc(resilienceMark(cell))}</span></td>`;
    });
    return `<tr><td>${esc(row.scenario)}</td>${cells.join('')}</tr>`;
  });
  const failing = failingCells(record);
  return (
    `<h2>Resilience (fault matrix)</h2><p class="note">${esc(resilienceHeadline(record))}. Each scenario ran once per tool it calls × fault kind, the fault on that tool's first call; a run passes when it ends in budget with an answer or a documented stop reason, the faulted call reaches the model as an envelope, the other servers keep answering and no process is left.</p>` +
    `<div class="table-wrap"><table class="resilience"><thead><tr><th>Scenario</th>${record.kinds.map((k) => `<th class="num">${esc(k)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>` +
    (failing.length > 0 ? `<ul class="resilience-failures">${failing.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>` : '')
  );
}
