import { describe, expect, it } from 'vitest';
import { sampleScenario, sampleTranscript, sampleTrial } from '../../../test/support/run-records.ts';
import { runRecord } from '../results/records.ts';
import { REPORT_TEXT_MAX_CHARS } from '../results/cap.ts';
import { failedScenarioLines, resultsTable, TABLE_TOOLS_SHOWN } from './terminal.ts';

const RUN = {
  runId: 'r',
  startedAt: '2025-10-05T12:00:00.000Z',
  durationMs: 10,
  mode: 'replay' as const,
  authored: false,
  model: null,
  trials: 1,
  k: 1,
  shard: null,
};

const withCalls = (count: number) => {
  const calls = Array.from({ length: count }, (_, i) => ({
    name: i === 1 ? 'get_invoice' : 'get_ticket_details',
    server: 's',
    args: {},
    ms: 1,
  }));
  return runRecord(RUN, [sampleScenario('many', [sampleTrial(1, [sampleTranscript('q', calls, 'a')])], 1)]);
};

describe('the results table', () => {
  it('names every tool call of a scenario with few of them', () => {
    const table = resultsTable(withCalls(3));
    expect(table.match(/get_ticket_details/g)).toHaveLength(2);
    expect(table.match(/get_invoice/g)).toHaveLength(1);
    expect(table).not.toContain('more');
  });

  it('names the first calls of a scenario with thousands and counts the rest, so drawing it stays fast', () => {
    const table = resultsTable(withCalls(10_000));
    expect(table).toContain(`… ${10_000 - TABLE_TOOLS_SHOWN} more`);
    expect(table.match(/get_ticket_details/g)).toHaveLength(TABLE_TOOLS_SHOWN - 1);
    expect(table.length).toBeLessThan(5_000);
  });

  it("cuts a custom grader's 10 MB reason in the failure details and the table, with a note of what was cut", () => {
    const reason = `expected a refund, got ${'x'.repeat(10_000_000)}`;
    const trial = sampleTrial(1, [sampleTranscript('q', [], 'a')], {
      pass: false,
      reason,
      failures: [{ name: 'custom:refund', pass: false, reason }],
    });
    const record = runRecord(RUN, [sampleScenario('long-reason', [trial], 0)]);
    const details = failedScenarioLines(record).join('\n');
    expect(details.length).toBeLessThan(2 * REPORT_TEXT_MAX_CHARS);
    const line = `    [custom:refund] ${reason}`;
    expect(details).toContain(
      `… [${(line.length - REPORT_TEXT_MAX_CHARS).toLocaleString('en-US')} more characters cut from this report; ${line.length.toLocaleString('en-US')} in all]`,
    );
    expect(resultsTable(record).length).toBeLessThan(5_000);
  });
});
