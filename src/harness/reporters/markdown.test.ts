import { describe, expect, it } from 'vitest';
import { SAMPLE_ROOT, sampleRecord, sampleScenario, sampleTrial } from '../../../test/support/run-records.ts';
import { runRecord } from '../results/records.ts';
import { codeBlock, markdownCell, summaryMarkdown } from './markdown.ts';

const RUN = {
  runId: 'r',
  startedAt: '2025-10-05T12:00:00.000Z',
  durationMs: 10,
  mode: 'live' as const,
  authored: false,
  model: 'gpt-4o',
  trials: 1,
  k: 1,
  shard: null,
};

/** The unescaped pipes of a table row: its column borders. */
const borders = (row: string) => row.replace(/\\\|/g, '').split('|').length - 1;

describe('summaryMarkdown', () => {
  const markdown = summaryMarkdown(sampleRecord(), { root: SAMPLE_ROOT });
  const lines = markdown.split('\n');

  it('starts with a headline of passed, failed, flaky and infra counts, pass rate, mode, model, trials and k', () => {
    expect(lines[0]).toBe('## ❌ mcp-helpdesk eval: 2 passed · 4 failed · 1 flaky · 1 infra');
    expect(lines[2]).toContain('pass rate **50%** of 20 counted trials (4 infrastructure errors)');
    expect(lines[2]).toContain('mode `replay` · model `gpt-4o-mini` · 4 trials per scenario · k = 2');
    expect(lines[3]).toBe('Run `20251005T120000Z-replay-abcd` started 2025-10-05T12:00:00.000Z');
  });

  it('names the models the cassettes recorded when a replay run names none', () => {
    const replayed = summaryMarkdown({ ...sampleRecord(), model: null });
    expect(replayed.split('\n')[2]).toContain('model `gpt-4o-mini (recorded)`');
  });

  it('lists every scenario with result, pass^k, class, p95, tokens and cost', () => {
    expect(lines).toContain('| Scenario | Result | pass^2 | Class | p95 | Tokens (mean) | Cost |');
    expect(lines).toContain('| critical-tickets | ✅ pass | 1.00 | stable_pass | 82 ms | 1,040 | $0.0007 |');
    expect(lines).toContain('| flaky-answer | ❌ fail | 0.17 | flaky | 82 ms | 1,040 | $0.0007 |');
    expect(lines).toContain('| servers-down | ⚠️ infra | n/a | no_data | – | – | unknown |');
    expect(lines.filter((l) => l.startsWith('| ') && !l.startsWith('| Scenario') && !l.startsWith('| ---'))).toHaveLength(6);
  });

  it('lists each failure with its code, reason and file, and the details in a code block', () => {
    const failures = markdown.slice(markdown.indexOf('### Failures'));
    expect(failures).toContain(
      '- **changed-question** (`scenarios/changed-question.json`) — `request_mismatch`: request 1 differs from the recording',
    );
    expect(failures).toContain(
      [
        '  ```text',
        '  trials 1, 2, 3, 4:',
        '    [request_mismatch] request 1 differs from the recording',
        '      messages[1].content:',
        '          recorded: "CUST-001"',
        '          now:      "CUST-002"',
        '  ```',
      ].join('\n'),
    );
    expect(failures).toContain('  trials 2, 4:\n    [answer] expected to contain "TKT-1004", got "TKT-1001 only."\n  ```');
    expect(failures).toContain('- **servers-down** (`scenarios/servers-down.json`) — `infra_error`:');
    expect(failures).not.toContain('critical-tickets');
  });

  it('leaves out the gates and regressions sections when the run has none', () => {
    expect(markdown).not.toContain('### Gates');
    expect(markdown).not.toContain('### Regressions');
  });

  it('shows gates and baseline regressions when present, escaping pipes so rows keep their columns', () => {
    const record = runRecord(
      RUN,
      [sampleScenario('fine', [sampleTrial(1, [])], 1)],
      [
        { name: 'min_pass_rate', pass: false, reason: 'pass rate 80% < 90%' },
        { name: 'max_flaky', pass: true, reason: '0 flaky' },
      ],
    );
    record.baseline = {
      run_id: 'base-1',
      regressions: [
        { scenario: 'fine', kind: 'latency_p95', before: 100, after: 250.123456, reason: 'p95 rose | from 100 ms to <250 ms>' },
      ],
    };
    const text = summaryMarkdown(record);
    expect(text).toContain('### Gates\n\n- ❌ **min\\_pass\\_rate**: pass rate 80% &lt; 90%\n- ✅ **max\\_flaky**: 0 flaky');
    expect(text).toContain('### Regressions against run `base-1`');
    const row = text.split('\n').find((l) => l.startsWith('| fine | latency_p95'));
    expect(row).toBe('| fine | latency_p95 | 100 | 250.1235 | p95 rose \\| from 100 ms to &lt;250 ms&gt; |');
    expect(borders(row ?? '')).toBe(6);
    expect(text.split('\n')[0]).toBe('## ❌ mcp-helpdesk eval: 1 passed · 0 failed · 0 flaky · 0 infra');
  });

  it('heads a run that --min-pass-rate passed with ✅ though a scenario failed, and marks the scenarios gate informational', () => {
    const failed = sampleTrial(1, [], { pass: false, reason: 'x', failures: [{ name: 'answer', pass: false, reason: 'x' }] });
    const record = runRecord(
      RUN,
      [sampleScenario('fine', [sampleTrial(1, [])], 1), sampleScenario('off', [failed], 1)],
      [
        {
          name: 'scenarios',
          pass: true,
          informational: true,
          reason: '1 scenario(s) below their gate: off (informational: --min-pass-rate decides)',
        },
        { name: 'min_pass_rate', pass: true, reason: 'pass rate 50.0% (minimum 50.0%)' },
      ],
    );
    const text = summaryMarkdown(record);
    expect(text.split('\n')[0]).toBe('## ✅ mcp-helpdesk eval: 1 passed · 1 failed · 0 flaky · 0 infra');
    expect(text).toContain(
      '- ℹ️ **scenarios**: 1 scenario(s) below their gate: off (informational: --min-pass-rate decides)\n- ✅ **min\\_pass\\_rate**',
    );
  });

  it('escapes a table cell: pipes, HTML, emphasis and line breaks', () => {
    expect(markdownCell('a|b <img src=x> *bold* _it_ `code`\nnext \\')).toBe(
      'a\\|b &lt;img src=x&gt; \\*bold\\* \\_it\\_ \\`code\\`<br>next \\\\',
    );
  });

  it('fences a code block with more backticks than any run inside it', () => {
    expect(codeBlock('plain')).toBe('```text\nplain\n```');
    expect(codeBlock('has ```` four')).toBe('`````text\nhas ```` four\n`````');
  });
});
