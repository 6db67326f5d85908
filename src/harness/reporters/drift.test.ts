import { describe, expect, it } from 'vitest';
import { sampleScenario, sampleTranscript, sampleTrial } from '../../../test/support/run-records.ts';
import { runRecord } from '../results/records.ts';
import { reportHtml } from './html.ts';
import { junitXml } from './junit.ts';
import { summaryMarkdown } from './markdown.ts';
import { driftSection, failedScenarioLines, rebaseSummary, staleSummary } from './terminal.ts';

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

const DATA = {
  code: 'request_mismatch',
  kind: 'data',
  change: 'search_tickets result tickets[].assignee: "Sarah Lee" → "Sara <Leigh>"',
  risk: 'answers built on this result may be stale',
  reason: 'data: …',
  diff: 'search_tickets({}) → tickets[1].assignee: recorded "Sarah Lee", now "Sara <Leigh>"',
};

const drifted = (id: string) =>
  sampleScenario(
    id,
    [sampleTrial(1, [sampleTranscript('q', [], 'a')], { pass: false, reason: `[request_mismatch] ${DATA.reason}`, replay: [DATA] })],
    1,
  );
const record = runRecord(RUN, [
  drifted('a'),
  drifted('b'),
  sampleScenario(
    'c',
    [
      sampleTrial(1, [sampleTranscript('q', [], 'a')], {
        rebase: { outcome: 'refused', reasons: ['[grounded] answer mentions TKT-1001'] },
        stale_responses: ['the system prompt'],
      }),
    ],
    1,
  ),
]);

describe('drift in the reports', () => {
  it('groups one change over the scenarios it touches in results.json and the terminal', () => {
    expect(record.drift).toEqual([{ kind: 'data', change: DATA.change, risk: DATA.risk, detail: DATA.diff, scenarios: ['a', 'b'] }]);
    expect(driftSection(record)).toEqual([
      'drift: 1 change, each shown once',
      `  [data] ${DATA.change} — 2 scenarios: a, b`,
      `      ${DATA.diff}`,
      `      risk: ${DATA.risk}`,
    ]);
    expect(failedScenarioLines(record)).toContain(`    [request_mismatch] data: ${DATA.change}`);
  });

  it('lists rebase outcomes and the scenarios replaying responses older than their prompt', () => {
    expect(rebaseSummary(record)).toEqual([
      'rebase: 0 cassette(s) rewritten, 0 unchanged, 1 refused, 2 could not be rebased (their runs failed before they could be graded)',
      '  ✗ c refused',
      '      [grounded] answer mentions TKT-1001',
      '  ✗ a could not be rebased',
      '      [request_mismatch] data: …',
      '  ✗ b could not be rebased',
      '      [request_mismatch] data: …',
    ]);
    expect(staleSummary(record)[1]).toBe('  c: the system prompt');
  });

  it('counts every scenario of a rebase, so its numbers add up to the scenarios run', () => {
    const rebased = (id: string, outcome: 'rebased' | 'unchanged' | 'refused') =>
      sampleScenario(id, [sampleTrial(1, [sampleTranscript('q', [], 'a')], { rebase: { outcome, reasons: [] } })], 1);
    const infra = sampleScenario(
      'down',
      [sampleTrial(1, [], { pass: false, infra_error: 'servers did not start', reason: 'servers did not start' })],
      1,
    );
    const summary = rebaseSummary(runRecord(RUN, [rebased('a', 'rebased'), rebased('b', 'unchanged'), rebased('c', 'refused'), infra]));
    expect(summary[0]).toBe(
      'rebase: 1 cassette(s) rewritten, 1 unchanged, 1 refused, 1 could not be rebased (its run failed before it could be graded)',
    );
    expect(summary).toContain('  ✗ down could not be rebased');
  });

  it('carries the kind into summary.md, report.html and JUnit, escaped', () => {
    const md = summaryMarkdown(record);
    expect(md).toContain('### Drift: what changed since the recordings');
    expect(md).toContain(
      String.raw`- **data** search\_tickets result tickets\[\].assignee: "Sarah Lee" → "Sara &lt;Leigh&gt;" — 2 scenarios: a, b`,
    );
    expect(md).toContain('### Recorded against an older prompt or description');
    const html = reportHtml(record);
    expect(html).toContain(
      '<span class="badge drift-data">data</span> <strong>search_tickets result tickets[].assignee: &quot;Sarah Lee&quot; → &quot;Sara &lt;Leigh&gt;&quot;</strong>',
    );
    expect(html).not.toContain('<Leigh>');
    expect(junitXml(record)).toContain('<property name="drift" value="data"/>');
  });
});
