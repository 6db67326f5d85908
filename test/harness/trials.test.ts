import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PoolCache } from '../../src/harness/run/pools.ts';
import type { RunOptions } from '../../src/harness/run/execute.ts';
import type { ScenarioResult } from '../../src/harness/results/scenario-result.ts';
import { loadScenarioFile, type LoadedScenario } from '../../src/harness/scenario/scenario.ts';
import { runTrials } from '../../src/harness/suite/trials.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { ROOT } from '../servers.ts';

// Trials in-process, over the real servers: order, the worker count, a crashing trial, and which
// trial's cassette a recording keeps. The CLI's view of trials is in test/integration/trials-cli.test.ts.

const QUESTION = 'What are the critical tickets for customer CUST-001?';
const SEARCH = { name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } };
const GOOD = 'CUST-001 has two critical tickets: TKT-1001 and TKT-1004.';

let dir: string;
let pools: PoolCache;
const fakes: FakeOpenAI[] = [];

function scenario(id: string): LoadedScenario {
  const file = join(dir, 'scenarios', `${id}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      id,
      description: `trials: ${id}`,
      turns: [QUESTION],
      script: [{ tool_calls: [SEARCH] }, { answer: GOOD }],
      expect: { tools: { calls: [{ name: SEARCH.name, args: SEARCH.arguments }] }, answer: { contains: ['TKT-1001', 'TKT-1004'] } },
    }),
  );
  return loadScenarioFile(file);
}

const options = (extra: Partial<RunOptions> = {}): RunOptions => ({
  mode: 'author',
  pools,
  recordingsDir: join(dir, 'recordings'),
  ...extra,
});
const answerOf = (result: ScenarioResult) => result.run?.transcripts.at(-1)?.answer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trial-runs-'));
  mkdirSync(join(dir, 'scenarios'));
  pools = new PoolCache(ROOT);
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

afterAll(async () => {
  await pools.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runTrials', () => {
  it('runs every trial of every scenario, keeps them in trial order and reports each as it ends', async () => {
    const scenarios = [scenario('order-a'), scenario('order-b')];
    const reported: [string, number, number, number][] = [];
    const runs = await runTrials(scenarios, options(), 3, 2, (result, trial, done, total) =>
      reported.push([result.id, trial, done, total]),
    );
    expect(runs.map((r) => [r.loaded.scenario.id, r.results.map((t) => [t.id, t.pass])])).toEqual([
      [
        'order-a',
        [
          ['order-a', true],
          ['order-a', true],
          ['order-a', true],
        ],
      ],
      [
        'order-b',
        [
          ['order-b', true],
          ['order-b', true],
          ['order-b', true],
        ],
      ],
    ]);
    expect(reported.map(([, , done, total]) => [done, total])).toEqual([
      [1, 6],
      [2, 6],
      [3, 6],
      [4, 6],
      [5, 6],
      [6, 6],
    ]);
    expect(reported.map(([id, trial]) => `${id}#${trial}`).sort()).toEqual([
      'order-a#1',
      'order-a#2',
      'order-a#3',
      'order-b#1',
      'order-b#2',
      'order-b#3',
    ]);
  });

  it('still runs every trial when asked for no concurrency at all', async () => {
    const runs = await runTrials([scenario('zero-workers')], options(), 2, 0);
    expect(runs[0]?.results.map((r) => r.pass)).toEqual([true, true]);
  });

  it('reports a trial that broke the harness as failed with the reason, and lets the others run', async () => {
    let broken = 0;
    const runs = await runTrials(
      [scenario('crashing')],
      options({
        breakRouter: (router) => {
          broken += 1;
          if (broken === 2) throw new Error('router exploded');
          return router;
        },
      }),
      3,
      1,
    );
    const [first, second, third] = runs[0]?.results ?? [];
    expect(first?.pass).toBe(true);
    expect(second).toMatchObject({
      id: 'crashing',
      mode: 'record',
      pass: false,
      error: 'the harness failed: router exploded',
      durationMs: 0,
      checks: [],
      run: undefined,
    });
    expect(third?.pass).toBe(true);
  });

  it("keeps the first passing trial's recording, not a later failing one, and the last one when none passed", async () => {
    const turn = (answer: string) => [{ turn: { toolCalls: [SEARCH] } }, { turn: { answer } }] as const;
    const agent = await startFakeOpenAI([
      ...turn('No idea.'),
      ...turn(GOOD),
      ...turn('Only TKT-1001.'),
      ...turn('Nothing.'),
      ...turn('Still nothing.'),
    ]);
    fakes.push(agent);
    const live = { apiKey: 'sk-trials', baseURL: agent.url, model: 'fake-model', maxRetries: 0 };
    const [flaky] = await runTrials([scenario('keeps-passing')], options({ mode: 'record', live }), 3, 1);
    expect(flaky?.results.map((r) => [r.pass, answerOf(r)])).toEqual([
      [false, 'No idea.'],
      [true, GOOD],
      [false, 'Only TKT-1001.'],
    ]);
    const kept = readFileSync(join(dir, 'recordings', 'keeps-passing.json'), 'utf8');
    expect(kept).toContain(GOOD);
    expect(kept).not.toContain('Only TKT-1001.');

    const [failing] = await runTrials([scenario('keeps-last')], options({ mode: 'record', live }), 2, 1);
    expect(failing?.results.map((r) => r.pass)).toEqual([false, false]);
    const last = readFileSync(join(dir, 'recordings', 'keeps-last.json'), 'utf8');
    expect(last).toContain('Still nothing.');
    expect(last).not.toContain('"Nothing."');
  });

  it('writes no recording in replay mode', async () => {
    const { ReplayHub } = await import('../../src/harness/cassettes/replay-hub.ts');
    const hub = new ReplayHub();
    hub.open();
    try {
      await runTrials([scenario('order-a')], options(), 1, 1);
      const before = readFileSync(join(dir, 'recordings', 'order-a.json'), 'utf8');
      const [replayed] = await runTrials([scenario('order-a')], options({ mode: 'replay', hub }), 2, 2);
      expect(replayed?.results.map((r) => r.pass)).toEqual([true, true]);
      expect(readFileSync(join(dir, 'recordings', 'order-a.json'), 'utf8')).toBe(before);
    } finally {
      hub.close();
    }
  });

  it("leaves no listener on the run's abort signal once its scenarios are over, however many ran", async () => {
    const { ReplayHub } = await import('../../src/harness/cassettes/replay-hub.ts');
    const hub = new ReplayHub();
    hub.open();
    const interrupt = new AbortController();
    try {
      await runTrials([scenario('listeners')], options(), 1, 1);
      const [replayed] = await runTrials([scenario('listeners')], options({ mode: 'replay', hub, signal: interrupt.signal }), 6, 3);
      expect(replayed?.results.map((r) => r.pass)).toEqual([true, true, true, true, true, true]);
      // The model client and the tool calls each add listeners; thousands left behind made every add slower.
      expect(getEventListeners(interrupt.signal, 'abort')).toEqual([]);
    } finally {
      hub.close();
    }
  });
});
