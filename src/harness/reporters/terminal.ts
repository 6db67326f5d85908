import type { ScenarioResult } from '../runner.ts';
import { renderTable } from './table.ts';

/** The one-line reason a scenario failed: replay first (it explains everything after it), then errors, then checks. */
export function failureReason(result: ScenarioResult): string {
  const replay = result.replay[0];
  if (replay) return `[${replay.code}] ${replay.reason}`;
  if (result.error) return result.error;
  const check = result.failures[0];
  return check ? `[${check.name}] ${check.reason}` : '';
}

function toolsCalled(result: ScenarioResult): string {
  const calls = result.run?.calls ?? [];
  return calls.length === 0 ? '-' : calls.map((c) => (c.isError ? `${c.name}✗` : c.name)).join(', ');
}

/** The results table: scenario, mode, result, tools called, iterations, time, reason for failure. */
export function resultsTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => [
    r.id,
    r.mode,
    r.pass ? 'pass' : 'FAIL',
    toolsCalled(r),
    String(r.run?.transcripts.reduce((n, t) => n + t.iterations, 0) ?? '-'),
    `${(r.durationMs / 1000).toFixed(2)} s`,
    r.pass ? '' : failureReason(r),
  ]);
  return renderTable(['scenario', 'mode', 'result', 'tools called', 'iter', 'time', 'reason'], rows, [30, 8, 8, 34, 6, 9, 50]);
}

/** Details worth printing under the table for each failed scenario: every failed check and replay diff. */
export function failureDetails(results: readonly ScenarioResult[]): string[] {
  return results.filter((r) => !r.pass).flatMap((r) => [
    `✗ ${r.id} (${r.file})`,
    ...r.replay.flatMap((f) => [`    [${f.code}] ${f.reason}`, ...(f.diff ? [`      ${f.diff.split('\n').join('\n      ')}`] : [])]),
    ...(r.error && r.replay.length === 0 ? [`    ${r.error}`] : []),
    ...r.failures.map((f) => `    [${f.name}] ${f.reason}`),
  ]);
}

/** "29 passed, 1 failed" plus the time. */
export function summaryLine(results: readonly ScenarioResult[], seconds: number): string {
  const passed = results.filter((r) => r.pass).length;
  return `${passed} passed, ${results.length - passed} failed (${results.length} scenarios in ${seconds.toFixed(1)} s)`;
}
