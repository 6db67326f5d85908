import { describe, expect, it } from 'vitest';
import { sampleRecord, sampleScenario, sampleTrial } from '../../../test/support/run-records.ts';
import { comparisonRecord, type ComparedRun } from './comparison.ts';
import { runRecord, type RunRecord } from './records.ts';
import { comparisonHtml, comparisonMarkdown, comparisonTerminal } from '../reporters/comparison.ts';

const INFO = { runId: 'cmp', startedAt: '2025-10-05T12:00:00.000Z', durationMs: 20, selected: 2 };

/** A one-trial run whose scenarios pass or fail as given. */
function run(verdicts: Record<string, boolean>, costPerTrial: number | null = 0.001): RunRecord {
  const scenarios = Object.entries(verdicts).map(([id, pass]) =>
    sampleScenario(
      id,
      [
        {
          ...sampleTrial(
            1,
            [],
            pass
              ? {}
              : {
                  pass: false,
                  reason: `[answer] ${id} went wrong`,
                  failures: [{ name: 'answer', pass: false, reason: `${id} went wrong` }],
                },
          ),
          cost_usd: costPerTrial,
          usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
        },
      ],
      1,
    ),
  );
  return runRecord(
    { runId: 'r', startedAt: INFO.startedAt, durationMs: 10, mode: 'record', authored: false, model: null, trials: 1, k: 1, shard: null },
    scenarios,
  );
}

const compared = (label: string, record: RunRecord, api: 'chat' | 'responses' = 'chat'): ComparedRun => ({
  label,
  model: label,
  api,
  report: label,
  record,
});

describe('a comparison of models', () => {
  it('names exactly the scenarios whose verdicts differ, with each model’s verdict and failure reason', () => {
    const record = comparisonRecord(INFO, [
      compared('a', run({ one: true, two: true, three: false })),
      compared('b', run({ one: true, two: false, three: true }), 'responses'),
    ]);
    expect(record.differing).toEqual(['three', 'two']);
    expect(record.scenarios.find((s) => s.id === 'one')).toMatchObject({ differs: false });
    expect(record.scenarios.find((s) => s.id === 'two')?.verdicts.b).toMatchObject({ pass: false, reason: '[answer] two went wrong' });
    expect(record.models.map((m) => [m.label, m.api, m.passed, m.failed, m.pass])).toEqual([
      ['a', 'chat', 2, 1, false],
      ['b', 'responses', 2, 1, false],
    ]);
    expect(record.partial).toBeNull();
  });

  it('does not count a scenario one model never ran as a difference, and says the comparison is partial', () => {
    const record = comparisonRecord({ ...INFO, selected: 3 }, [
      compared('a', run({ one: true, two: true })),
      compared('b', run({ one: true })),
    ]);
    expect(record.scenarios.find((s) => s.id === 'two')?.verdicts).toEqual({ a: expect.objectContaining({ pass: true }), b: null });
    expect(record.differing).toEqual([]);
    expect(record.partial).toEqual({ ran: 2, selected: 3 });
  });

  it('sums the priced trials’ cost and counts the unpriced ones, and takes p95 over the counted trials', () => {
    const priced = comparisonRecord(INFO, [
      compared('a', run({ one: true, two: true }, 0.25)),
      compared('b', run({ one: true, two: true }, null)),
    ]);
    expect(priced.models[0]?.cost_usd).toBeCloseTo(0.5, 10);
    expect(priced.models[1]).toMatchObject({ cost_usd: null, unpriced: 2 });
    const sample = sampleRecord();
    const latencies = sample.scenarios.flatMap((s) => s.trials.filter((t) => t.infra_error === null).map((t) => t.latency.end_to_end_ms));
    const [withSample] = comparisonRecord(INFO, [compared('s', sample)]).models;
    expect(withSample?.p95_ms).toBe([...latencies].sort((x, y) => x - y)[Math.ceil(0.95 * latencies.length) - 1]);
    // pass^k is the mean over scenarios with k counted trials
    const hats = sample.scenarios.flatMap((s) =>
      s.summary.pass_hat_k[String(sample.k)] === undefined ? [] : [s.summary.pass_hat_k[String(sample.k)] as number],
    );
    expect(withSample?.pass_hat_k).toBeCloseTo(hats.reduce((x, y) => x + y, 0) / hats.length, 10);
  });

  it('puts the models side by side in the terminal, Markdown and HTML, the differing scenarios marked and linked into each model’s report', () => {
    const record = comparisonRecord(INFO, [
      compared('a', run({ one: true, two: true }, 0.004)),
      compared('b', run({ one: true, two: false })),
    ]);
    const terminal = comparisonTerminal(record).join('\n');
    expect(terminal).toMatch(/│ a\s+│ chat\s+│ 2\/2\s+│ 100%/);
    expect(terminal).toContain('$0.0080');
    expect(terminal).toMatch(/where the models differ:[\s\S]*│ two\s+│ pass\s+│ FAIL\s+│/);
    expect(terminal).not.toMatch(/│ one\s+│ pass/);
    expect(terminal).toContain('2 scenarios on a, b: the models differ on 1: two');
    const markdown = comparisonMarkdown(record);
    expect(markdown).toContain('| two | pass | FAIL: \\[answer\\] two went wrong |');
    expect(markdown).toContain('[b](b/summary.md)');
    const html = comparisonHtml(record);
    expect([...html.matchAll(/<tr data-scenario="([^"]+)" class="differs">/g)].map((m) => m[1])).toEqual(['two']);
    expect(html).toContain('href="b/report.html#scenario-two" title="[answer] two went wrong">FAIL</a>');
    expect(html).not.toMatch(/<script/);
  });
});
