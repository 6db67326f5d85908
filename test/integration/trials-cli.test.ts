import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunRecordSchema, type RunRecord } from '../../src/harness/results/records.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeReply } from '../support/fake-openai.ts';
import { evalInFolder, type HelpdeskRun } from '../support/run-helpdesk.ts';

// Trial runs through the real CLI against a local OpenAI-compatible endpoint that answers
// inconsistently on purpose; expected statistics are computed by hand in each test. Shards and
// their merge are in shards-cli.test.ts.

let dir: string;
let fake: FakeOpenAI | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trials-'));
  mkdirSync(join(dir, 'scenarios'));
  mkdirSync(join(dir, 'recordings'));
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A scenario answered without tools: it passes when the answer says "OK". */
function scenario(id: string, extra: Record<string, unknown> = {}): void {
  writeFileSync(
    join(dir, 'scenarios', `${id}.json`),
    JSON.stringify({
      id,
      description: `trial test ${id}`,
      turns: [`Question for ${id}`],
      expect: { answer: { contains: ['OK'] }, ...extra },
    }),
  );
}

const ok: FakeReply = { turn: { answer: 'OK, done.' } };
const wrong: FakeReply = { turn: { answer: 'I do not know.' } };
const outage: FakeReply = { status: 503, json: { error: { message: 'overloaded' } } };

function run(args: string[], env: Record<string, string> = {}): Promise<HelpdeskRun> {
  return evalInFolder(dir, args, env);
}

async function live(
  replies: FakeReply[],
  args: string[],
  report = join(dir, 'report'),
): Promise<{ code: number | null; stdout: string; record: RunRecord }> {
  fake = await startFakeOpenAI(replies);
  const result = await run(['--live', '--concurrency', '1', '--report-dir', report, ...args], {
    OPENAI_API_KEY: 'sk-trial-test',
    OPENAI_BASE_URL: fake.url,
  });
  const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')));
  return { code: result.code, stdout: result.stdout, record };
}

const summaryOf = (record: RunRecord, id: string) => record.scenarios.find((s) => s.id === id)?.summary;

describe('trial runs', () => {
  it('reports pass^k, pass@k, the interval and the class of each scenario from hand-computed values', async () => {
    scenario('a-steady');
    scenario('b-coin');
    scenario('c-never');
    // Jobs run in scenario order, four trials each, one at a time.
    const { code, stdout, record } = await live([ok, ok, ok, ok, ok, wrong, ok, wrong, wrong, wrong, wrong, wrong], ['--trials', '4']);
    expect(code).toBe(1);
    expect(record.k).toBe(2);
    const coin = summaryOf(record, 'b-coin');
    expect(coin).toMatchObject({ n: 4, c: 2, infra: 0, pass_rate: 0.5, class: 'flaky', pass: false });
    expect(coin?.pass_hat_k['2']).toBeCloseTo(1 / 6, 12); // C(2,2)/C(4,2)
    expect(coin?.pass_hat_k['1']).toBeCloseTo(0.5, 12);
    expect(coin?.pass_hat_k['3']).toBe(0); // C(2,3) = 0
    expect(coin?.pass_at_k['2']).toBeCloseTo(5 / 6, 12); // 1 − C(2,2)/C(4,2)
    expect(coin?.interval95[0]).toBeCloseTo(0.15, 2); // Wilson, n = 4, c = 2
    expect(coin?.interval95[1]).toBeCloseTo(0.85, 2);
    expect(summaryOf(record, 'a-steady')).toMatchObject({ n: 4, c: 4, class: 'stable_pass', pass: true });
    expect(summaryOf(record, 'a-steady')?.pass_hat_k['2']).toBe(1);
    expect(summaryOf(record, 'c-never')).toMatchObject({ n: 4, c: 0, class: 'stable_fail', pass: false });
    expect(record.totals).toMatchObject({ scenarios: 3, passed: 1, failed: 2, flaky: 1, infra_errors: 0, trials: 12 });
    expect(record.totals.pass_rate).toBeCloseTo(6 / 12, 12);
    expect(stdout).toMatch(/b-coin.*2\/4.*17%.*flaky/);
    expect(fake?.requests).toHaveLength(12);
  });

  it('counts an outage of the model API as an infrastructure error, not as a model failure', async () => {
    scenario('a-steady');
    const { code, record } = await live([ok, outage, ok, ok], ['--trials', '4']);
    expect(summaryOf(record, 'a-steady')).toMatchObject({ n: 3, c: 3, infra: 1, class: 'stable_pass', pass: true });
    expect(record.scenarios[0]?.trials[1]?.infra_error).toContain('503');
    expect(record.totals.infra_errors).toBe(1);
    expect(code).toBe(0);
  });

  it('lets a scenario pass with a minimum pass^k, and gates the run on pass rate and flakiness', async () => {
    scenario('b-coin', { min_pass_k: 0.15 });
    const lenient = await live([ok, wrong, ok, wrong], ['--trials', '4']);
    expect(summaryOf(lenient.record, 'b-coin')).toMatchObject({ class: 'flaky', min_pass_k: 0.15, pass: true });
    expect(lenient.code).toBe(0);
    await fake?.close();

    const gated = await live([ok, wrong, ok, wrong], ['--trials', '4', '--min-pass-rate', '0.75', '--max-flaky', '0']);
    expect(gated.code).toBe(1);
    expect(gated.record.gates).toEqual([
      {
        name: 'scenarios',
        pass: true,
        informational: true,
        reason: 'all 1 scenarios meet their gate (informational: --min-pass-rate decides)',
      },
      { name: 'min_pass_rate', pass: false, reason: 'pass rate 50.0% (minimum 75.0%)' },
      { name: 'max_flaky', pass: false, reason: '1 flaky scenario(s) (maximum 0)' },
    ]);
    expect(gated.stdout).toContain('gate min_pass_rate failed: pass rate 50.0% (minimum 75.0%)');
  });

  it('flags a planted regression against a baseline run and fails when asked to gate on it', async () => {
    scenario('a-steady');
    scenario('b-coin');
    const before = await live([ok, ok, ok, ok], ['--trials', '2'], join(dir, 'before'));
    expect(before.code).toBe(0);
    await fake?.close();
    const baseline = join(dir, 'before', 'results.json');
    const after = await live([ok, ok, ok, wrong], ['--trials', '2', '--baseline', baseline, '--fail-on-regression']);
    expect(after.code).toBe(1);
    expect(after.record.baseline?.run_id).toBe(before.record.run_id);
    // Latency regressions depend on the machine's load; this test plants a pass/fail regression.
    expect(after.record.baseline?.regressions.filter((r) => r.kind !== 'latency_p95')).toEqual([
      expect.objectContaining({
        scenario: 'b-coin',
        kind: 'newly_failing',
        reason: `passed in ${before.record.run_id}, fails now (1/2 trials pass)`,
      }),
      expect.objectContaining({ scenario: 'b-coin', kind: 'pass_k_drop', before: 1, after: 0.5, reason: 'pass^1 fell from 100% to 50%' }),
    ]);
    expect(after.stdout).toContain('b-coin [newly_failing]');
  });

  it('writes the job summary and ::error annotations on the scenario file when run in GitHub Actions', async () => {
    scenario('c-never');
    fake = await startFakeOpenAI([wrong]);
    const stepSummary = join(dir, 'step-summary.md');
    writeFileSync(stepSummary, '# earlier step\n');
    const result = await run(['--live'], {
      OPENAI_API_KEY: 'sk-trial-test',
      OPENAI_BASE_URL: fake.url,
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: stepSummary,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=.*c-never\.json,title=c-never%3A answer::.*expected to contain "OK"/m);
    const summary = readFileSync(stepSummary, 'utf8');
    expect(summary.startsWith('# earlier step\n')).toBe(true);
    expect(summary).toContain('c-never');
    expect(summary.length).toBeGreaterThan('# earlier step\n'.length + 50);
  });

  it('refuses trials in replay mode and a k above the number of trials', async () => {
    scenario('a-steady');
    const replay = await run(['--trials', '3']);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toContain('--trials needs --live or --record');
    const tooBig = await run(['--live', '--trials', '2', '--k', '3'], { OPENAI_API_KEY: 'sk-x' });
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toContain('--k (3) cannot exceed --trials (2)');
  });
});
