import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PoolCache } from '../../src/harness/run/pools.ts';
import { ReplayHub } from '../../src/harness/cassettes/replay-hub.ts';
import { trialRecord } from '../../src/harness/results/records.ts';
import { type RunOptions } from '../../src/harness/run/execute.ts';
import { runScenario } from '../../src/harness/suite/run-scenario.ts';
import { type ScenarioResult } from '../../src/harness/results/scenario-result.ts';
import { loadScenarioFile, type LoadedScenario } from '../../src/harness/scenario/scenario.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { ROOT } from '../servers.ts';

// Grading the answer end to end: real servers, the real OpenAI client, cassettes on disk. Each
// scenario's cassette is authored (or recorded from a local fake endpoint), then replayed.

const QUESTION = 'What are the critical tickets for customer CUST-001?';
const SEARCH = { name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } };
const RUBRIC = 'Lists both critical tickets of CUST-001 with their IDs.';
const VERDICT = { score: 0.9, pass: true, reasons: ['Names TKT-1001 and TKT-1004.'] };
const API_KEY = 'sk-judge-and-agent-secret';

let dir: string;
let pools: PoolCache;
let hub: ReplayHub;
const fakes: FakeOpenAI[] = [];

function scenario(id: string, answer: string, expect: object = {}, judgeTurns: object[] = []): LoadedScenario {
  const file = join(dir, 'scenarios', `${id}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      id,
      description: `answer grading: ${id}`,
      turns: [QUESTION],
      script: [{ tool_calls: [SEARCH] }, { answer }, ...judgeTurns],
      expect,
    }),
  );
  return loadScenarioFile(file);
}

const options = (extra: Partial<RunOptions> = {}): RunOptions => ({
  mode: 'replay',
  hub,
  pools,
  recordingsDir: join(dir, 'recordings'),
  ...extra,
});
const author = (loaded: LoadedScenario) => runScenario(loaded, options({ mode: 'author' }));
const explain = (r: ScenarioResult) => JSON.stringify({ replay: r.replay, failures: r.failures, error: r.error });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'answer-grading-'));
  mkdirSync(join(dir, 'scenarios'));
  pools = new PoolCache(ROOT);
  hub = new ReplayHub();
});

afterEach(async () => {
  hub.close();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

afterAll(async () => {
  await pools.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('grading the answer', () => {
  it('fails a planted hallucination, naming the invoice ID no tool returned, when authored and when replayed', async () => {
    const planted = scenario('planted', 'CUST-001 has TKT-1001 and TKT-1004, and invoice INV-2099 is overdue.');
    const authored = await author(planted);
    hub.open();
    const replayed = await runScenario(planted, options());
    for (const result of [authored, replayed]) {
      expect(result.pass).toBe(false);
      expect(result.replay).toEqual([]);
      expect(result.failures).toEqual([
        { name: 'grounded', pass: false, reason: "answer mentions INV-2099, which no tool returned (nor the user's messages)" },
      ]);
    }
  });

  it('replays a judge offline from the cassette, and fails closed with judge_changed naming the rubric when it changes', async () => {
    const judged = scenario(
      'judged',
      'CUST-001 has 2 critical tickets: TKT-1001 and TKT-1004.',
      { judge: { rubric: RUBRIC, threshold: 0.8 } },
      [{ judge: VERDICT }],
    );
    expect((await author(judged)).pass).toBe(true);
    const cassette = JSON.parse(readFileSync(join(dir, 'recordings', 'judged.json'), 'utf8'));
    expect(cassette.judge_interactions).toHaveLength(1);
    expect(cassette.judge_interactions[0].request.messages[1].content).toContain(`## Rubric\n${RUBRIC}`);
    hub.open();
    const replayed = await runScenario(judged, options());
    expect(replayed.pass, explain(replayed)).toBe(true);
    expect(replayed.checks.find((c) => c.name === 'judge:judge')).toEqual({
      name: 'judge:judge',
      pass: true,
      score: 0.9,
      reason: 'score 0.90 (threshold 0.8, gpt-4o-mini): Names TKT-1001 and TKT-1004.',
    });

    const changed = scenario('judged', 'CUST-001 has 2 critical tickets: TKT-1001 and TKT-1004.', {
      judge: { rubric: `${RUBRIC} Mentions the SLA.`, threshold: 0.8 },
    });
    const drifted = await runScenario(changed, options());
    expect(drifted.pass).toBe(false);
    expect(drifted.replay.map((r) => r.code)).toEqual(['judge_changed']);
    expect(drifted.replay[0]?.reason).toMatch(/^judge request 1: the rubric changed since the recording/);
    expect(drifted.replay[0]?.diff).toBe(`Rubric:\n    recorded: ${RUBRIC}\n    now:      ${RUBRIC} Mentions the SLA.`);
    // Replay refused the judge's request itself: no model API was called, so none refused anything.
    expect(drifted.checks.find((c) => c.name === 'judge:judge')).toEqual({
      name: 'judge:judge',
      pass: false,
      score: 0,
      reason: 'the judge was not asked: its request differs from the recording (see [judge_changed])',
    });
  });

  it('names a changed answer as the drift when the agent replays the same calls but the script answered otherwise', async () => {
    const judged = scenario('answer-drift', 'TKT-1001 and TKT-1004 are critical.', { judge: { rubric: RUBRIC } }, [{ judge: VERDICT }]);
    expect((await author(judged)).pass).toBe(true);
    // Rewrite the recorded answer in the agent's track only: the judge now sees a different answer.
    const path = join(dir, 'recordings', 'answer-drift.json');
    const cassette = JSON.parse(readFileSync(path, 'utf8'));
    cassette.interactions[1].response.body.choices[0].message.content = 'TKT-1001 is critical.';
    writeFileSync(path, JSON.stringify(cassette));
    hub.open();
    const result = await runScenario(judged, options());
    expect(result.replay[0]?.code).toBe('judge_changed');
    expect(result.replay[0]?.reason).toContain('the answer to grade changed');
  });

  it('fails with judge_missing when a scenario gains a judge, and judge_unused when it loses one', async () => {
    const plain = scenario('gains-judge', 'TKT-1001 and TKT-1004 are critical.');
    expect((await author(plain)).pass).toBe(true);
    const withJudge = scenario('gains-judge', 'TKT-1001 and TKT-1004 are critical.', { judge: { rubric: RUBRIC } });
    hub.open();
    const gained = await runScenario(withJudge, options());
    expect(gained.replay.map((r) => r.code)).toEqual(['judge_missing']);
    expect(gained.replay[0]?.reason).toContain('the scenario gained a judge since it was recorded');

    hub.close();
    const judged = scenario('loses-judge', 'TKT-1001 and TKT-1004 are critical.', { judge: { rubric: RUBRIC } }, [{ judge: VERDICT }]);
    expect((await author(judged)).pass).toBe(true);
    hub.open();
    const lost = await runScenario(scenario('loses-judge', 'TKT-1001 and TKT-1004 are critical.'), options());
    expect(lost.replay.map((r) => r.code)).toEqual(['judge_unused']);
  });

  it('records a live judge on its own endpoint apart from the agent: its tokens counted apart, no key in the cassette; then replays offline', async () => {
    const agent = await startFakeOpenAI(
      [{ turn: { toolCalls: [SEARCH] } }, { turn: { answer: 'TKT-1001 and TKT-1004 are critical.' } }],
      'agent-model',
    );
    const verdict = JSON.stringify({ score: 0.4, pass: false, reasons: ['Gives no subjects.'] });
    const judge = await startFakeOpenAI(
      [
        {
          status: 200,
          json: {
            id: 'j1',
            object: 'chat.completion',
            created: 0,
            model: 'judge-model',
            choices: [{ index: 0, message: { role: 'assistant', content: verdict }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
          },
        },
      ],
      'judge-model',
    );
    fakes.push(agent, judge);
    const live = scenario('live-judge', 'unused', { judge: { rubric: RUBRIC, threshold: 0.3 } });
    const recorded = await runScenario(
      live,
      options({
        mode: 'record',
        live: { apiKey: API_KEY, baseURL: agent.url, model: 'agent-model', maxRetries: 0 },
        judge: { apiKey: API_KEY, baseURL: judge.url, model: 'judge-model', maxRetries: 0 },
      }),
    );
    expect(recorded.pass, explain(recorded)).toBe(true);
    expect(agent.requests).toHaveLength(2);
    expect(judge.requests).toHaveLength(1);
    expect(judge.requests[0]?.body.model).toBe('judge-model');
    expect(judge.requests[0]?.body.response_format.json_schema.name).toBe('verdict');
    expect(judge.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const trial = trialRecord(recorded, live.scenario, 1);
    expect(trial.judge).toMatchObject({
      calls: [{ name: 'judge', model: 'judge-model', score: 0.4, pass: false, reasons: ['Gives no subjects.'] }],
    });
    expect(trial.judge?.usage).toEqual({ prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 });
    expect(trial.usage.total_tokens).toBe(0);
    const text = readFileSync(join(dir, 'recordings', 'live-judge.json'), 'utf8');
    expect(text).not.toContain(API_KEY);
    expect(JSON.parse(text).judge_interactions[0].request.model).toBe('judge-model');

    hub.open();
    const replayed = await runScenario(live, options());
    expect(replayed.pass, explain(replayed)).toBe(true);
    expect(replayed.checks.find((c) => c.name === 'judge:judge')?.reason).toBe(
      'score 0.40 (threshold 0.3, judge-model): Gives no subjects.',
    );
  });

  it('passes a scenario on its weighted score when it has a threshold, and fails it below', async () => {
    const graded = (threshold: number) =>
      scenario(
        `weighted-${String(threshold).replace('.', '')}`,
        'TKT-1001 and TKT-1004 are critical.',
        {
          judge: { rubric: RUBRIC, threshold: 0.9, weight: 4 },
          weights: { latency: 0 },
          score_threshold: threshold,
        },
        [{ judge: { score: 0.5, pass: false, reasons: ['Too short.'] } }],
      );
    const loose = await author(graded(0.6));
    const strict = await author(graded(0.8));
    // Checks: stop_reason, grounded (1 each) and the judge (0.5, weight 4): (1 + 1 + 2) / 6.
    expect(loose.score).toBeCloseTo(4 / 6);
    expect(loose.pass, explain(loose)).toBe(true);
    expect(loose.failures.map((f) => f.name)).toEqual(['judge:judge']);
    expect(strict.pass).toBe(false);
  });
});
