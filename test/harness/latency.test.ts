import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmLatency, failedOnLatencyOnly } from '../../src/harness/suite/confirm-latency.ts';
import { type RunOptions } from '../../src/harness/run/execute.ts';
import { runScenario } from '../../src/harness/suite/run-scenario.ts';
import { type ScenarioResult } from '../../src/harness/results/scenario-result.ts';
import { loadScenarioFile } from '../../src/harness/scenario/scenario.ts';
import { loadScenarios } from '../../src/harness/scenario/load-suite.ts';
import { infraError } from '../../src/harness/results/records.ts';
import { ROOT } from '../servers.ts';
import { useReplayBench } from '../support/replay-bench.ts';

const bench = useReplayBench('latency');

const options = (recordingsDir: string): RunOptions => bench.options({ recordingsDir });

/** The result as a loaded machine might have produced it: the slowest call 233 ms against its 200 ms budget. */
function underLoad(result: ScenarioResult): ScenarioResult {
  const slow = { name: 'latency:tool_call', pass: false, reason: 'slowest tool call search_tickets 233.3 ms (budget 200 ms)' };
  const checks = result.checks.map((c) => (c.name === 'latency:tool_call' ? slow : c));
  return { ...result, pass: false, checks, failures: [slow] };
}

describe('latency failures are confirmed alone before they are reported', () => {
  it('clears a latency failure the quiet re-run does not repeat, keeping both figures in the reason', async () => {
    const [loaded] = loadScenarios(join(ROOT, 'scenarios'), { ids: ['critical-tickets-cust-001'] }, ROOT);
    const first = underLoad(await runScenario(loaded!, options(join(ROOT, 'recordings'))));
    expect(failedOnLatencyOnly(first)).toBe(true);
    const [confirmed] = await confirmLatency([{ loaded: loaded!, results: [first] }], options(join(ROOT, 'recordings')), 8);
    const result = confirmed!.results[0]!;
    expect(result.pass).toBe(true);
    expect(result.latencyConfirmed).toBe(true);
    expect(result.checks.find((c) => c.name === 'latency:tool_call')?.reason).toMatch(
      /^slowest tool call search_tickets \d+\.\d ms \(budget 200 ms\); re-run alone after slowest tool call search_tickets 233\.3 ms \(budget 200 ms\) with 8 at once: contention of the harness, not a regression$/,
    );
  });

  it('fails a real regression again alone: a tool that answers 300 ms late against a 200 ms budget', async () => {
    const file = join(bench.dir, 'scenarios', 'slow-tool.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'slow-tool',
        description: 'search_tickets answers 300 ms late',
        turns: ['Critical tickets of CUST-001?'],
        faults: [{ kind: 'slow', tool: 'search_tickets', delay_ms: 300 }],
        script: [
          { tool_calls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] },
          { answer: 'TKT-1001 and TKT-1004.' },
        ],
        expect: { answer: { contains: ['TKT-1001'] }, latency: { tool_call_ms: 200 } },
      }),
    );
    const loaded = loadScenarioFile(file);
    const recordings = join(bench.dir, 'recordings');
    await runScenario(loaded, { ...options(recordings), mode: 'author', deferCassette: false });
    const first = await runScenario(loaded, options(recordings));
    expect(first.failures.map((f) => f.name)).toEqual(['latency:tool_call']);
    const [confirmed] = await confirmLatency([{ loaded, results: [first] }], options(recordings), 4);
    const result = confirmed!.results[0]!;
    expect(result.pass).toBe(false);
    expect(result.failures.map((f) => f.name)).toEqual(['latency:tool_call']);
    expect(result.failures[0]?.reason).toMatch(
      /^slowest tool call search_tickets 3\d\d\.\d ms \(budget 200 ms\); re-run alone after slowest tool call search_tickets 3\d\d\.\d ms \(budget 200 ms\) with 4 at once: over budget alone too$/,
    );
  });

  it('leaves other failures alone: only a run that failed on latency and nothing else is re-run', async () => {
    const [loaded] = loadScenarios(join(ROOT, 'scenarios'), { ids: ['critical-tickets-cust-001'] }, ROOT);
    const real = await runScenario(loaded!, options(join(ROOT, 'recordings')));
    const answerToo = { ...underLoad(real), failures: [...underLoad(real).failures, { name: 'answer', pass: false, reason: 'x' }] };
    expect(failedOnLatencyOnly(answerToo)).toBe(false);
    const [kept] = await confirmLatency([{ loaded: loaded!, results: [answerToo] }], options(join(ROOT, 'recordings')), 8);
    expect(kept!.results[0]).toBe(answerToo);
  });
});

describe('a server that died between scenarios', () => {
  it('restarts it for the next call, which is marked and left out of the tool-call latency; a latency-only failure then is an infrastructure error', async () => {
    const [loaded] = loadScenarios(join(ROOT, 'scenarios'), { ids: ['critical-tickets-cust-001'] }, ROOT);
    const warm = await runScenario(loaded!, options(join(ROOT, 'recordings')));
    expect(warm.pass).toBe(true);
    const { pool } = await bench.pools.get(loaded!.scenario);
    const tickets = pool.servers().find((s) => s.name === 'tickets');
    process.kill(tickets!.pid!, 'SIGKILL');
    const deadline = performance.now() + 3_000;
    while (pool.servers().find((s) => s.name === 'tickets')?.state === 'ready' && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));

    const after = await runScenario(loaded!, options(join(ROOT, 'recordings')));
    expect(after.pass, JSON.stringify(after.failures)).toBe(true);
    expect(after.run?.calls[0]).toMatchObject({ name: 'search_tickets', serverRestarted: true });
    expect(after.run?.transcripts[0]?.events.find((e) => e.type === 'tool_result')).toMatchObject({ server_restarted: true });
    // Its only call waited for the restart, so no call is timed at all.
    expect(after.checks.find((c) => c.name === 'latency:tool_call')).toBeUndefined();
    expect(pool.servers().find((s) => s.name === 'tickets')).toMatchObject({ state: 'ready', restarts: 1 });

    const slow = { name: 'latency:query', pass: false, reason: 'query 16000 ms (budget 15000 ms)' };
    const failedOnLatency = { ...after, pass: false, failures: [slow], checks: [...after.checks, slow] };
    expect(infraError(failedOnLatency, loaded!.scenario)).toBe(
      'server tickets had stopped and was restarted during this scenario (search_tickets waited for it)',
    );
    const failedOnAnswer = { ...failedOnLatency, failures: [{ name: 'answer', pass: false, reason: 'x' }] };
    expect(infraError(failedOnAnswer, loaded!.scenario)).toBeNull();
  });
});
