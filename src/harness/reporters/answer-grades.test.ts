import { describe, expect, it } from 'vitest';
import { sampleScenario, sampleTranscript, sampleTrial } from '../../../test/support/run-records.ts';
import { timelinesOf } from '../../../test/support/report-page.ts';
import { runRecord, type ScenarioRecord, type TrialRecord } from '../results/records.ts';
import { judgeLines, judgeTotals, variationGroups } from './answer-grades.ts';
import { reportHtml } from './html.ts';
import { junitXml } from './junit.ts';
import { summaryMarkdown } from './markdown.ts';
import { judgeSummary, resultsTable, variationsTable } from './terminal.ts';

const RUN = {
  runId: 'r',
  startedAt: '2025-10-05T12:00:00.000Z',
  durationMs: 10,
  mode: 'live' as const,
  authored: false,
  model: 'gpt-4o-mini',
  trials: 1,
  k: 1,
  shard: null,
};

const JUDGE_REASON = 'Names both tickets & nothing else <ok>.';

function judgedTrial(pass: boolean): TrialRecord {
  const check = {
    name: 'judge:judge',
    pass,
    score: pass ? 0.9 : 0.4,
    reason: `score ${pass ? '0.90' : '0.40'} (threshold 0.8, gpt-4o-mini): ${JUDGE_REASON}`,
  };
  return sampleTrial(1, [sampleTranscript('q', [], 'a')], {
    pass,
    checks: [check],
    failures: pass ? [] : [check],
    reason: pass ? null : `[judge:judge] ${check.reason}`,
    score: pass ? 0.95 : 0.5,
    judge: {
      calls: [
        {
          name: 'judge',
          model: 'gpt-4o-mini',
          ms: 420,
          usage: { prompt_tokens: 900, completion_tokens: 100, total_tokens: 1000 },
          score: check.score,
          pass,
          reasons: [JUDGE_REASON],
          error: null,
        },
      ],
      usage: { prompt_tokens: 900, completion_tokens: 100, total_tokens: 1000 },
      cost_usd: 0.0002,
      ms: 420,
    },
  });
}

function variation(scenario: string, id: string, index: number, pass: boolean): ScenarioRecord {
  const base = sampleScenario(`${scenario}-${id}`, [judgedTrial(pass)], 1);
  return { ...base, id: `${scenario}.${id}`, variation: { scenario, variation: id, index, text: `Phrasing ${id}?` } };
}

// Sorted by ID as a run record sorts them, so "formal" comes before "v1": the reports restore the author's order.
const record = runRecord(RUN, [
  variation('intent', 'v1', 1, true),
  variation('intent', 'formal', 2, false),
  sampleScenario('plain', [sampleTrial(1, [sampleTranscript('q', [], 'a')])], 1),
]);

describe('answer grades in the reports', () => {
  it('groups variations by scenario in the order they were written, with passes and the trial pass rate', () => {
    const [group] = variationGroups(record);
    expect(variationGroups(record)).toHaveLength(1);
    expect(group?.cases.map((c) => c.id)).toEqual(['intent.v1', 'intent.formal']);
    expect([group?.passed, group?.trialsPassed, group?.trialsCounted]).toEqual([1, 1, 2]);
  });

  it('collects the judge verdicts of every judged scenario and totals the judge apart from the agent', () => {
    expect(judgeLines(record.scenarios).map((l) => [l.scenario, l.pass])).toEqual([
      ['intent.formal', false],
      ['intent.v1', true],
    ]);
    expect(judgeTotals(record)).toEqual({ calls: 2, tokens: 2000, costUsd: 0.0004, ms: 840 });
  });

  it('prints a score column, the variations table and the judge lines in the terminal', () => {
    expect(resultsTable(record)).toMatch(/│ score\s+│ reason/);
    expect(resultsTable(record)).toMatch(/intent\.v1 .*│ 0\.95\s+│/);
    expect(variationsTable(record)).toMatch(/│ intent\s+│ 1\/2\s+│ 50%\s+│ v1 ✓  formal ✗\s+│/);
    expect(judgeSummary(record)).toEqual([
      "judged answers (2 judge calls, 2000 tokens, $0.0004, 0.84 s; not counted in the agent's):",
      `  ✗ intent.formal judge: score 0.40 (threshold 0.8, gpt-4o-mini): ${JUDGE_REASON}`,
      `  ✓ intent.v1 judge: score 0.90 (threshold 0.8, gpt-4o-mini): ${JUDGE_REASON}`,
    ]);
    expect(variationsTable(runRecord(RUN, [record.scenarios[2] as ScenarioRecord]))).toBeUndefined();
  });

  it('puts variations and judged answers in summary.md, escaped', () => {
    const md = summaryMarkdown(record);
    expect(md).toContain(
      '### Variations\n\n| Scenario | Passed | Pass rate | Per phrasing |\n| --- | ---: | ---: | --- |\n| intent | 1/2 | 50% | ✅ v1 ❌ formal |',
    );
    expect(md).toContain('### Judged answers');
    expect(md).toContain('Names both tickets &amp; nothing else &lt;ok&gt;.');
  });

  it('groups variations under their scenario in JUnit and writes the verdicts to system-out', () => {
    const xml = junitXml(record);
    expect(xml).toContain('<testcase classname="scenarios.intent" name="intent.v1"');
    expect(xml).toContain('<testcase classname="scenarios" name="plain"');
    expect(xml).toContain('<property name="variation_of" value="intent"/>');
    expect(xml).toContain('<property name="score" value="0.95"/>');
    expect(xml).toContain(
      `<system-out>judge judge pass: score 0.90 (threshold 0.8, gpt-4o-mini): Names both tickets &amp; nothing else &lt;ok&gt;.</system-out>`,
    );
  });

  it("shows the variations table, a judge card and each trial's verdicts and score in report.html", () => {
    const html = reportHtml(record);
    expect(html).toContain('<h2>Variations</h2>');
    expect(html).toMatch(
      /<li class="pass">✓ <a href="#scenario-intent\.v1">v1<\/a> <q>Phrasing v1\?<\/q><\/li><li class="fail">✗ <a href="#scenario-intent\.formal">formal<\/a>/,
    );
    expect(html).toMatch(/data-card="judge"|judge calls/);
    const timelines = timelinesOf(html).join('');
    expect(timelines).toContain(
      '<strong>judge judge</strong> (gpt-4o-mini, 420 ms, 1,000 tokens): score 0.40 · Names both tickets &amp; nothing else &lt;ok&gt;.',
    );
    expect(timelines).toContain('<p class="meta">score 0.95</p>');
  });
});
