import { describe, expect, it } from 'vitest';
import type { Transcript } from '../../orchestrator/transcript.ts';
import { parseScenario } from '../scenario/scenario.ts';
import { costUsd, PRICE_TABLE, priceTable } from './prices.ts';
import { runRecord, trialRecord } from './records.ts';
import type { ScenarioResult } from './scenario-result.ts';

describe('prices', () => {
  it("estimates a cost from the built-in table, a dated snapshot at its model's price, and none for an unknown model", () => {
    expect(costUsd('gpt-4o-mini', 1_000_000, 1_000_000)).toBeCloseTo(0.75, 10);
    expect(costUsd('gpt-4o-mini-2024-07-18', 2_000_000, 0)).toBeCloseTo(0.3, 10);
    expect(costUsd('qwen3:8b', 1000, 1000)).toBeNull();
  });

  it("lays a project's prices over the built-in table and names the table it made", () => {
    const table = priceTable({ 'qwen3:8b': { input: 0.02, output: 0.08 }, 'gpt-4o-mini': { input: 1, output: 2 } });
    expect(table.version).toBe(`${PRICE_TABLE.version}+project`);
    expect(costUsd('qwen3:8b', 1_000_000, 500_000, table.prices)).toBeCloseTo(0.06, 10);
    expect(costUsd('gpt-4o-mini', 1_000_000, 1_000_000, table.prices)).toBeCloseTo(3, 10);
    expect(costUsd('gpt-4.1', 1_000_000, 0, table.prices)).toBeCloseTo(2, 10);
    expect(priceTable(undefined)).toEqual({ version: PRICE_TABLE.version, prices: PRICE_TABLE.per_million_tokens });
    expect(priceTable({}).version).toBe(PRICE_TABLE.version);
  });

  it("prices a trial and its judge calls with the run's table, and the run record names that table", () => {
    const usage = { prompt_tokens: 400_000, completion_tokens: 100_000, total_tokens: 500_000 };
    const transcript = {
      query: 'q',
      answer: 'a',
      model: 'local-model',
      iterations: 1,
      stop_reason: 'final_answer',
      usage,
      duration_ms: 10,
      events: [],
    } as unknown as Transcript;
    const judge = [
      { name: 'judge', model: 'local-judge', durationMs: 5, usage, verdict: { score: 1, pass: true, reasons: [] }, error: undefined },
    ];
    const result = {
      id: 's',
      file: 's.json',
      mode: 'live',
      pass: true,
      checks: [],
      failures: [],
      score: 1,
      replay: [],
      error: undefined,
      durationMs: 10,
      run: { mode: 'live', transcripts: [transcript], calls: [], requests: [], startupMs: 0, discoveryMs: 0, judge },
    } as unknown as ScenarioResult;
    const scenario = parseScenario({ id: 's', description: 'd', turns: ['q'], expect: {} });
    const table = priceTable({ 'local-model': { input: 1, output: 4 }, 'local-judge': { input: 0.5, output: 0.5 } });

    const priced = trialRecord(result, scenario, 1, table.prices);
    expect(priced.cost_usd).toBeCloseTo(0.8, 10);
    expect(priced.judge?.cost_usd).toBeCloseTo(0.25, 10);
    const unpriced = trialRecord(result, scenario, 1);
    expect(unpriced.cost_usd).toBeNull();
    expect(unpriced.judge?.cost_usd).toBeNull();

    const info = {
      runId: 'r',
      startedAt: '2026-12-07T00:00:00Z',
      durationMs: 1,
      mode: 'live' as const,
      authored: false,
      model: 'local-model',
      trials: 1,
      k: 1,
      shard: null,
    };
    expect(runRecord({ ...info, priceTable: table.version }, []).price_table).toBe('2026-11-01+project');
    expect(runRecord(info, []).price_table).toBe(PRICE_TABLE.version);
  });
});
