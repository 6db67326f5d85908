import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuiteSession } from '../../src/api/session.ts';
import { ResultJournal } from '../../src/harness/results/journal.ts';
import { evaluateSuite } from '../../src/harness/suite/run-suite.ts';
import { serversStartedWith } from '../support/processes.ts';
import { ROOT } from '../servers.ts';
import { childEnv } from '../support/child-env.ts';

// The whole built-in suite (faults, url servers, variations, judges and custom graders
// included) through the CLI, in the main thread one at a time and in two worker threads four at
// a time: every scenario must get the same verdict for the same reasons.

const HELPDESK = join(ROOT, 'src', 'cli', 'helpdesk.ts');
const QUESTION = 'What are the critical tickets for customer CUST-001?';
const SEARCH = { name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } };
const GOOD = 'CUST-001 has two critical tickets: TKT-1001 and TKT-1004.';
let work: string;

interface Verdict {
  id: string;
  pass: boolean;
  class: string;
  replay: string[];
  failures: string[];
  checks: string[];
  calls: string[];
}

async function evalRun(
  name: string,
  args: string[],
  interruptAfter?: string,
): Promise<{ code: number | null; stderr: string; dir: string }> {
  const dir = join(work, name);
  const child = spawn(process.execPath, [HELPDESK, 'eval', ...args, '--report-dir', dir], {
    cwd: ROOT,
    env: childEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (interruptAfter && stderr.includes(interruptAfter)) {
      interruptAfter = undefined;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { code, stderr, dir };
}

/** A scenario file in `dir` asking for CUST-001's critical tickets at `instant`, with `extra` expectations and fields. */
function writeScenario(
  dir: string,
  id: string,
  instant: string,
  extra: Record<string, unknown> = {},
  expect: Record<string, unknown> = {},
): void {
  writeFileSync(
    join(dir, `${id}.json`),
    JSON.stringify({
      id,
      description: `workers: ${id}`,
      now: instant,
      turns: [QUESTION],
      script: [{ tool_calls: [SEARCH] }, { answer: GOOD }],
      ...extra,
      expect: {
        tools: { calls: [{ name: SEARCH.name, args: SEARCH.arguments }] },
        answer: { contains: ['TKT-1001', 'TKT-1004'] },
        ...expect,
      },
    }),
  );
}

/** A unique clock for one test's scenarios, so its server processes can be found by it. */
const uniqueInstant = () => `2025-10-05T12:00:00.${String(Math.floor(Math.random() * 900) + 100)}Z`;

/** Each scenario's verdict and what decided it, without the timings (latency checks by name and outcome only). */
function verdicts(dir: string): Verdict[] {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  return results.scenarios.map(
    (s: {
      id: string;
      summary: { pass: boolean; class: string };
      trials: {
        replay: { code: string }[];
        failures: { name: string }[];
        checks: { name: string; pass: boolean }[];
        latency: { tools: { name: string; is_error: boolean }[] };
      }[];
    }) => ({
      id: s.id,
      pass: s.summary.pass,
      class: s.summary.class,
      replay: s.trials.flatMap((t) => t.replay.map((r) => r.code)),
      failures: s.trials.flatMap((t) => t.failures.map((f) => f.name)),
      checks: s.trials.flatMap((t) => t.checks.map((c) => `${c.name}:${c.pass}`)),
      calls: s.trials.flatMap((t) => t.latency.tools.map((c) => `${c.name}${c.is_error ? '✗' : ''}`)),
    }),
  );
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'helpdesk-workers-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('helpdesk eval --workers', () => {
  it('gives every scenario of the suite the same verdict in two worker threads four at a time as in the main thread one at a time', async () => {
    const alone = await evalRun('alone', ['--workers', '1', '--concurrency', '1']);
    expect(alone.code, alone.stderr).toBe(0);
    const threads = await evalRun('threads', ['--workers', '2', '--concurrency', '4']);
    expect(threads.code, threads.stderr).toBe(0);
    const one = verdicts(alone.dir);
    const two = verdicts(threads.dir);
    expect(one.length).toBeGreaterThan(40);
    expect(two).toEqual(one);
    expect(readdirSync(threads.dir).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'summary.md']);
  }, 180_000);

  it('loses only the scenario whose worker thread died, says why, runs the rest on the other thread and leaves no server', async () => {
    // No scenario's own code can end a worker thread (custom graders run in threads of their own),
    // so the harness's test seam ends the one that starts "exits": that scenario is lost with its
    // thread, which kills that thread's servers; the other thread runs every other scenario.
    const dir = join(work, 'dying-suite');
    mkdirSync(dir);
    const instant = uniqueInstant();
    for (let i = 1; i <= 6; i += 1) writeScenario(dir, `fine-${i}`, instant);
    writeScenario(dir, 'exits', instant);
    const session = new SuiteSession({ cwd: ROOT, scenarios: dir, recordings: join(work, 'dying-recordings'), mode: 'author' });
    const journal = new ResultJournal(join(work, 'dying', 'results.jsonl'));
    try {
      const { record } = await evaluateSuite(
        session.suite.scenarios,
        [],
        {
          run: session.run,
          journal,
          root: session.project.root,
          cwd: ROOT,
          serverEnv: session.serverEnv,
          headerEnv: {},
          servers: session.project.servers,
          trials: 1,
          k: 1,
          concurrency: 2,
          workers: 2,
          matrix: false,
          onResult: () => {},
          onConfirm: () => {},
          exitOnScenario: 'exits',
        },
        { runId: 'dying', authored: true, model: null, shard: null },
      );
      const outcome = Object.fromEntries(record.scenarios.map((s) => [s.id, s.summary.pass ? 'pass' : s.trials[0]?.reason]));
      expect(outcome).toEqual({
        exits: 'the harness failed: the worker thread running it stopped: exit code 7',
        'fine-1': 'pass',
        'fine-2': 'pass',
        'fine-3': 'pass',
        'fine-4': 'pass',
        'fine-5': 'pass',
        'fine-6': 'pass',
      });
    } finally {
      journal.close();
      await session.close();
    }
    expect(await serversStartedWith(instant)).toEqual([]);
  }, 120_000);

  it('writes a partial report on Ctrl+C with only the scenarios that ran to their end, none of the cancelled ones lost, and leaves no server', async () => {
    // Each search waits 1.5 s (a slow fault), so two threads are mid-scenario when the run is interrupted.
    const dir = join(work, 'interrupted-suite');
    mkdirSync(dir);
    const instant = uniqueInstant();
    for (let i = 1; i <= 8; i += 1) {
      writeScenario(
        dir,
        `slow-${i}`,
        instant,
        { faults: [{ kind: 'slow', tool: 'search_tickets', delay_ms: 1500 }] },
        { latency: { tool_call_ms: 10_000 } },
      );
    }
    const recordings = join(work, 'interrupted-recordings');
    const authored = await evalRun('interrupted-author', [
      '--author',
      '--workers',
      '2',
      '--concurrency',
      '4',
      '--scenarios',
      dir,
      '--recordings',
      recordings,
    ]);
    expect(authored.code, authored.stderr).toBe(0);
    const run = await evalRun(
      'interrupted',
      ['--workers', '2', '--concurrency', '2', '--scenarios', dir, '--recordings', recordings],
      '[1/8]',
    );
    expect(run.code, run.stderr).toBe(130);
    const results = JSON.parse(readFileSync(join(run.dir, 'results.json'), 'utf8'));
    expect(results.partial.selected).toBe(8);
    expect(results.partial.ran).toBeGreaterThanOrEqual(1);
    expect(results.partial.ran).toBeLessThan(8);
    // Every scenario in the report ran to its end and passed: none of those in flight is reported lost.
    expect(results.scenarios.map((s: { summary: { pass: boolean } }) => s.summary.pass)).toEqual(Array(results.partial.ran).fill(true));
    expect(await serversStartedWith(instant)).toEqual([]);
  }, 120_000);
});
