import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scriptedResponse } from '../../src/orchestrator/scripted-model.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeReply } from '../support/fake-openai.ts';
import { ROOT } from '../servers.ts';
import { isAlive, serversStartedWith } from '../support/processes.ts';
import { childEnv } from '../support/child-env.ts';
import { runHelpdesk } from '../support/run-helpdesk.ts';

// `helpdesk eval` as a user runs it: a child process with its scenario and cassette folders in
// a temporary directory (never the repository's scenarios/ and recordings/).

const HELPDESK = resolve(ROOT, 'src', 'cli', 'helpdesk.ts');
const API_KEY = 'sk-secret-test-key';
/** Longest one eval run may take before the test kills it and fails. */
const RUN_LIMIT_MS = 12_000;
const QUESTION = 'What are the critical tickets for customer CUST-001?';
const ANSWER = 'CUST-001 has two critical tickets: TKT-1001 and TKT-1004.';

const WORKED_EXAMPLE = {
  description: 'The worked example: the critical tickets of one customer.',
  tags: ['tickets'],
  turns: [QUESTION],
  script: [{ tool_calls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] }, { answer: ANSWER }],
  expect: {
    tools: { mode: 'exact', calls: [{ name: 'search_tickets', args: { customer_id: 'CUST-001', priority: 'critical' } }] },
    answer: { contains: ['TKT-1001', 'TKT-1004'] },
  },
};

/** The same model turns, served by the fake OpenAI endpoint. */
const WORKED_EXAMPLE_REPLIES: FakeReply[] = [
  { turn: { toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] } },
  { turn: { answer: ANSWER } },
];

/** A scenario without tool calls, the cheapest to run. */
const greeting = (tags: string[]) => ({
  description: 'A greeting.',
  tags,
  turns: ['Hello?'],
  script: [{ answer: 'Hello, how can I help?' }],
  expect: { answer: { contains: ['help'] } },
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let work: string;
let scenarios: string;
let recordings: string;
/** This test's pinned clock; it marks the server processes the test's runs start. */
let now: string;
let fake: FakeOpenAI | undefined;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'helpdesk-eval-'));
  scenarios = join(work, 'scenarios');
  recordings = join(work, 'recordings');
  mkdirSync(scenarios);
  now = `2025-10-05T12:00:00.${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`;
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  expect(await serversStartedWith(now), 'server processes left running after eval exited').toEqual([]);
  rmSync(work, { recursive: true, force: true });
});

// The spec's budgets (servers up within 3 s, discovered within 1 s, a tool call within 200 ms) are
// tested on a quiet machine in test/harness/latency.test.ts. Here the eval runs beside another test
// file starting processes on the other core, and its quiet re-run of a latency failure is not quiet:
// a discovery of 1.3 s once failed a test about authoring. These tests are about everything else,
// so their scenarios carry wide budgets unless they set their own.
const LOADED_MACHINE_BUDGETS = { startup_ms: 30_000, discovery_ms: 10_000, tool_call_ms: 10_000 };

function writeScenario(id: string, body: { expect?: Record<string, unknown> & { latency?: object } } & Record<string, unknown>): string {
  const file = join(scenarios, `${id}.json`);
  const expect = body.expect && { ...body.expect, latency: { ...LOADED_MACHINE_BUDGETS, ...body.expect.latency } };
  writeFileSync(file, JSON.stringify({ id, now, ...body, ...(expect && { expect }) }, null, 2));
  return file;
}

async function fakeOpenAI(replies: readonly FakeReply[]): Promise<FakeOpenAI> {
  fake = await startFakeOpenAI(replies);
  return fake;
}

/**
 * Runs `helpdesk eval ...args --scenarios <tmp> --recordings <tmp>` in the temporary directory
 * (so no .env of the repository applies), with only PATH and `env` set.
 */
async function evalRun(args: string[], env: Record<string, string> = {}, during?: (child: ChildProcess) => Promise<void>): Promise<Run> {
  const where = ['--scenarios', scenarios, '--recordings', recordings, '--report-dir', join(work, 'report')];
  return runHelpdesk(['eval', ...args, ...where], { cwd: work, env: childEnv(env), entry: HELPDESK, limitMs: RUN_LIMIT_MS, during });
}

type Row = Record<'scenario' | 'mode' | 'result' | 'tools called' | 'iter' | 'time' | 'reason', string>;

/** The rows of the results table, each cell's wrapped lines joined by a space. */
function tableRows(stdout: string): Row[] {
  const groups: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of stdout.split('\n')) {
    if (/^[┌├└]/.test(line)) {
      current = undefined;
    } else if (line.startsWith('│')) {
      if (!current) groups.push((current = []));
      current.push(
        line
          .split('│')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    }
  }
  const cells = groups.map((lines) =>
    (lines[0] ?? []).map((_, column) =>
      lines
        .map((l) => l[column] ?? '')
        .filter(Boolean)
        .join(' '),
    ),
  );
  const [head, ...rows] = cells;
  expect(head, `a results table in:\n${stdout}`).toEqual(['scenario', 'mode', 'result', 'tools called', 'iter', 'time', 'reason']);
  return rows.map((row) => Object.fromEntries(row.map((cell, i) => [head?.[i], cell])) as Row);
}

const isGone = (pid: number): boolean => !isAlive(pid);

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('helpdesk eval', () => {
  it('lists the selected scenarios with their cassettes without running anything', async () => {
    writeScenario('greet-a', greeting(['smoke']));
    writeScenario('greet-b', greeting(['other']));
    expect((await evalRun(['--author', '--id', 'greet-a'])).code).toBe(0);
    rmSync(join(work, 'report'), { recursive: true, force: true });
    const run = await evalRun(['--list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/greet-a\s+│ smoke\s+│ authored\s+│ A greeting\./);
    expect(run.stdout).toMatch(/greet-b\s+│ other\s+│ missing\s+│ A greeting\./);
    expect(run.stdout).toContain('2 scenarios');
    expect(existsSync(join(work, 'report'))).toBe(false);
  });

  it('writes a partial report marked partial on Ctrl+C, with only the scenarios that ran to their end, exits 130 and leaves no server', async () => {
    // Each scenario waits 1.5 s for its search (a slow fault), so the run is still going when interrupted.
    for (let i = 1; i <= 4; i += 1)
      writeScenario(`slow-${i}`, {
        ...WORKED_EXAMPLE,
        faults: [{ kind: 'slow', tool: 'search_tickets', delay_ms: 1500 }],
        expect: { ...WORKED_EXAMPLE.expect, latency: { tool_call_ms: 10_000 } },
      });
    // Authored two at a time: four fresh five-server pools starting at once beside other test files
    // once pushed the slowed search past its budget, and the test is about the interruption.
    const authored = await evalRun(['--author', '--concurrency', '2']);
    expect(authored.code, authored.stdout + authored.stderr).toBe(0);
    const run = await evalRun(['--concurrency', '1'], {}, async (child) => {
      let seen = '';
      await new Promise<void>((resolve) =>
        child.stderr!.on('data', (chunk) => {
          seen += chunk;
          if (seen.includes('[1/4]')) resolve();
        }),
      );
      child.kill('SIGINT');
    });
    expect(run.code, run.stdout + run.stderr).toBe(130);
    expect(run.stderr).toContain('interrupted: cancelling the scenarios in flight and writing a partial report');
    expect(run.stdout).toContain('PARTIAL: interrupted after 1 of 4 scenarios');
    const results = JSON.parse(readFileSync(join(work, 'report', 'results.json'), 'utf8'));
    expect(results.partial).toEqual({ ran: 1, selected: 4 });
    expect(results.scenarios.map((x: { id: string }) => x.id)).toEqual(['slow-1']);
    expect(results.gates).toContainEqual({
      name: 'complete',
      pass: false,
      reason: 'interrupted: 1 of 4 scenarios ran to their end; the others are not in this report',
    });
  }, 30_000);

  it('meets a rate-limited endpoint by lowering the model requests in flight, loses no scenario, recovers and says so', async () => {
    // An OpenAI-compatible endpoint that allows 2 requests at once for its first 10, then any number.
    let received = 0;
    let inFlight = 0;
    const limited = createHttpServer((req, res) => {
      req.resume();
      req.on('end', async () => {
        received += 1;
        inFlight += 1;
        try {
          if (received <= 10 && inFlight > 2) {
            res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '30' });
            res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_exceeded' } }));
            return;
          }
          await new Promise((r) => setTimeout(r, 20));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              object: 'chat.completion',
              created: 0,
              ...scriptedResponse({ answer: 'Hello, how can I help?' }, 'fake-model', received),
            }),
          );
        } finally {
          inFlight -= 1;
        }
      });
    });
    await new Promise<void>((r) => limited.listen(0, '127.0.0.1', () => r()));
    try {
      for (let i = 1; i <= 50; i += 1) writeScenario(`hello-${String(i).padStart(2, '0')}`, greeting([]));
      const url = `http://127.0.0.1:${(limited.address() as AddressInfo).port}/v1`;
      const run = await evalRun(['--live', '--concurrency', '6'], {
        OPENAI_API_KEY: API_KEY,
        OPENAI_BASE_URL: url,
        OPENAI_MODEL: 'fake-model',
        HELPDESK_MODEL_RETRIES: '6',
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const results = JSON.parse(readFileSync(join(work, 'report', 'results.json'), 'utf8'));
      expect(results.totals).toMatchObject({ scenarios: 50, passed: 50, failed: 0 });
      expect(results.throttle.rate_limited).toBeGreaterThan(0);
      expect(results.throttle.lowest_concurrency).toBeLessThanOrEqual(2);
      expect(results.throttle).toMatchObject({ max_concurrency: 6, final_concurrency: 6 });
      expect(run.stdout).toMatch(/rate limited \d+ time\(s\): model requests in flight lowered from 6 to [12], 6 at the end/);
    } finally {
      await new Promise((r) => limited.close(r));
    }
  }, 30_000);

  it('authors a cassette from the script, then replays it offline and passes', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);

    const authored = await evalRun(['--author']);
    expect(authored.code, authored.stderr).toBe(0);
    expect(authored.stdout).toContain('author: 1 passed, 0 failed');
    const cassette = readJson(join(recordings, 'worked-example.json'));
    expect(cassette).toMatchObject({ format: 1, scenario: 'worked-example', source: 'authored', max_retries: 0 });
    expect(cassette.interactions).toHaveLength(2);
    expect(cassette.interactions[1].request.messages.at(-1).content).toContain('TKT-1004');

    const replayed = await evalRun([]);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(0);
    expect(tableRows(replayed.stdout)).toEqual([
      {
        scenario: 'worked-example',
        mode: 'replay',
        result: 'pass',
        'tools called': 'search_tickets',
        iter: '2',
        time: expect.stringMatching(/^\d+\.\d\d s$/),
        reason: '',
      },
    ]);
    expect(replayed.stdout).toMatch(
      /\nreplay: 1 passed, 0 failed \(1 scenarios in \d+\.\d s\)\nreports: \S+results\.json, \S+junit\.xml, \S+summary\.md, \S+report\.html\n$/,
    );
    expect(replayed.stderr).toMatch(/^\[1\/1\] pass worked-example \(\d+\.\d\d s\)\n$/);
  });

  it("records with --model and the config's sampling settings and prices: sent, kept in the cassette, priced, and a changed setting refused on replay", async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    const config = (temperature: number) =>
      JSON.stringify({
        mcpServers: {},
        model: { temperature, seed: 42 },
        prices: { 'local-qwen': { input: 1, output: 2 } },
      });
    writeFileSync(join(work, 'helpdesk.config.json'), config(0));
    // Each reply reports 1,000 prompt and 500 completion tokens: $0.002 a reply at the config's price.
    const priced = WORKED_EXAMPLE_REPLIES.map((reply, i) => {
      const turn = (reply as { turn: Parameters<typeof scriptedResponse>[0] }).turn;
      return {
        status: 200,
        json: { ...scriptedResponse(turn, 'local-qwen', i), usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } },
      };
    });
    const server = await fakeOpenAI(priced);

    const recorded = await evalRun(['--record', '--model', 'local-qwen'], {
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: server.url,
      HELPDESK_MODEL_RETRIES: '0',
    });
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
    expect(server.requests.map((r) => [r.body.model, r.body.temperature, r.body.seed])).toEqual([
      ['local-qwen', 0, 42],
      ['local-qwen', 0, 42],
    ]);
    const cassette = JSON.parse(readFileSync(join(recordings, 'worked-example.json'), 'utf8'));
    expect(cassette.model).toBe('local-qwen');
    expect(cassette.interactions.map((i: { request: { temperature: number } }) => i.request.temperature)).toEqual([0, 0]);
    const results = JSON.parse(readFileSync(join(work, 'report', 'results.json'), 'utf8'));
    expect(results.price_table).toBe('2026-11-01+project');
    expect(results.scenarios[0].trials[0].cost_usd).toBeCloseTo(0.004, 10);
    expect(readFileSync(join(work, 'report', 'summary.md'), 'utf8')).toContain('$0.0040');

    await server.close();
    expect((await evalRun([])).code).toBe(0);
    writeFileSync(join(work, 'helpdesk.config.json'), config(0.7));
    const changed = await evalRun([]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('[request_mismatch]');
    expect(changed.stdout).toContain('temperature');
  });

  it('records a live cassette without the API key, and the recording replays offline', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    const server = await fakeOpenAI(WORKED_EXAMPLE_REPLIES);

    const recorded = await evalRun(['--record'], { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: server.url, HELPDESK_MODEL_RETRIES: '0' });
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
    expect(recorded.stdout).toContain('record: 1 passed, 0 failed');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const text = readFileSync(join(recordings, 'worked-example.json'), 'utf8');
    expect(text).not.toContain(API_KEY);
    expect(text).not.toMatch(/authorization/i);
    const cassette = JSON.parse(text);
    expect(cassette.source).toBe('live');
    expect(cassette.interactions.map((i: { request: unknown }) => i.request)).toEqual(server.requests.map((r) => r.body));

    await server.close();
    const replayed = await evalRun([]);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(0);
    expect(tableRows(replayed.stdout).map((r) => [r.scenario, r.mode, r.result])).toEqual([['worked-example', 'replay', 'pass']]);
    expect(replayed.stdout).toContain('replay: 1 passed, 0 failed');
  });

  it('runs --live against the endpoint without writing a cassette, and stops its servers', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    mkdirSync(recordings);
    // The first reply waits, so the servers can be seen running while the model "thinks".
    const server = await fakeOpenAI([
      { ...(WORKED_EXAMPLE_REPLIES[0] as FakeReply), delayMs: 1000 },
      WORKED_EXAMPLE_REPLIES[1] as FakeReply,
    ]);
    let running: number[] = [];

    const live = await evalRun(
      ['--live'],
      { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: server.url, HELPDESK_MODEL_RETRIES: '0' },
      async () => {
        await until(() => server.requests.length === 1, RUN_LIMIT_MS);
        running = await serversStartedWith(now);
      },
    );
    expect(live.code, live.stdout + live.stderr).toBe(0);
    expect(tableRows(live.stdout).map((r) => [r.scenario, r.mode, r.result, r['tools called']])).toEqual([
      ['worked-example', 'live', 'pass', 'search_tickets'],
    ]);
    expect(live.stdout).toContain('live: 1 passed, 0 failed');
    expect(server.remaining()).toBe(0);
    expect(readdirSync(recordings)).toEqual([]);
    expect(running).toHaveLength(5);
    expect(running.filter((pid) => !isGone(pid))).toEqual([]);
  });

  it.each(['--record', '--live'])('refuses %s without an API key and says how to set one', async (flag) => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    const run = await evalRun([flag]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('helpdesk: OPENAI_API_KEY is not set. Export it (export OPENAI_API_KEY=sk-...) or put it in a .env file');
    expect(existsSync(recordings)).toBe(false);
  });

  it('fails a scenario whose answer no longer satisfies it, with the reason in the table', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    expect((await evalRun(['--author'])).code).toBe(0);
    writeScenario('worked-example', {
      ...WORKED_EXAMPLE,
      expect: { ...WORKED_EXAMPLE.expect, answer: { contains: ['TKT-1001', 'TKT-9999'] } },
    });

    const run = await evalRun([]);
    expect(run.code).toBe(1);
    const [row] = tableRows(run.stdout);
    expect(row).toMatchObject({ scenario: 'worked-example', result: 'FAIL' });
    expect(row?.reason).toContain('[answer] expected to contain "TKT-9999"');
    expect(run.stdout).toContain(
      `✗ worked-example (${join(scenarios, 'worked-example.json')})\n    [answer] expected to contain "TKT-9999", got "${ANSWER}"`,
    );
    expect(run.stdout).toContain('replay: 0 passed, 1 failed');
    expect(run.stderr).toContain('[1/1] FAIL worked-example');
  });

  it('lets --min-pass-rate alone decide the exit code, reporting the scenarios below their gate without failing on them', async () => {
    for (const id of ['g1', 'g2', 'g3', 'g4', 'g5']) writeScenario(id, greeting(['greeting']));
    expect((await evalRun(['--author'])).code).toBe(0);
    for (const id of ['g4', 'g5']) writeScenario(id, { ...greeting(['greeting']), expect: { answer: { contains: ['goodbye'] } } });

    expect((await evalRun([])).code).toBe(1);
    const lenient = await evalRun(['--min-pass-rate', '0.6', '--max-flaky', '0']);
    expect(lenient.code, lenient.stdout).toBe(0);
    expect(lenient.stdout).toContain('\ngate scenarios: 2 scenario(s) below their gate: g4, g5 (informational: --min-pass-rate decides)');
    expect(readJson(join(work, 'report', 'results.json')).gates).toEqual([
      {
        name: 'scenarios',
        pass: true,
        informational: true,
        reason: '2 scenario(s) below their gate: g4, g5 (informational: --min-pass-rate decides)',
      },
      { name: 'min_pass_rate', pass: true, reason: 'pass rate 60.0% (minimum 60.0%)' },
      { name: 'max_flaky', pass: true, reason: '0 flaky scenario(s) (maximum 0)' },
    ]);
    const strict = await evalRun(['--min-pass-rate', '0.8']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('gate min_pass_rate failed: pass rate 60.0% (minimum 80.0%)');
  });

  it('fails a scenario without a cassette and says how to author one', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    const run = await evalRun([]);
    expect(run.code).toBe(1);
    expect(tableRows(run.stdout)[0]?.reason).toMatch(/^\[missing_cassette\] no cassette at /);
    expect(run.stdout).toContain(`[missing_cassette] no cassette at ${join(recordings, 'worked-example.json')}`);
    expect(run.stdout).toContain('helpdesk eval --author --id worked-example');
    expect(run.stdout).toContain('replay: 0 passed, 1 failed');
  });

  it('reports an invalid scenario file as one failed scenario with its problems and runs the others', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    const { expect: expectations, ...rest } = WORKED_EXAMPLE;
    writeScenario('misspelt', { ...rest, id: 'misspelt', expectations });
    writeFileSync(join(scenarios, 'cut-short.json'), '{"id": "cut-short", "description": ');
    const run = await evalRun(['--author']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout).toContain('author: 1 passed, 2 failed');
    const results = JSON.parse(readFileSync(join(work, 'report', 'results.json'), 'utf8'));
    const reasons = Object.fromEntries(
      results.scenarios.map((s: { id: string; trials: { infra_error: string | null }[] }) => [s.id, s.trials[0]?.infra_error]),
    );
    expect(reasons['worked-example']).toBeNull();
    expect(reasons.misspelt).toBe(
      'invalid scenario file: expect: Invalid input: expected object, received undefined; line 27, column 3: (top level): Unrecognized key: "expectations"',
    );
    expect(reasons['cut-short']).toBe('invalid scenario file: line 1, column 36: Unexpected end of JSON input');
    expect(readdirSync(recordings)).toEqual(['worked-example.json']);
  });

  it('warns about an invalid scenario file the filters leave out and runs the selected ones', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    writeFileSync(join(scenarios, 'cut-short.json'), '{"id": "cut-short", "description": ');
    const run = await evalRun(['--author', '--id', 'worked-example']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: skipped .*cut-short\.json, which is not a valid scenario file: .*JSON/);
    expect(run.stdout).toContain('author: 1 passed, 0 failed');
  });

  it('runs only the scenarios with a given --tag', async () => {
    writeScenario('greet-billing', greeting(['billing']));
    writeScenario('greet-tickets', greeting(['tickets']));
    writeScenario('greet-both', greeting(['tickets', 'billing']));
    const run = await evalRun(['--author', '--tag', 'billing']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(tableRows(run.stdout).map((r) => r.scenario)).toEqual(['greet-billing', 'greet-both']);
    expect(readdirSync(recordings).sort()).toEqual(['greet-billing.json', 'greet-both.json']);
    expect(run.stdout).toContain('author: 2 passed, 0 failed');
  });

  it('runs only the scenarios named by a comma-separated --id, combined with --tag', async () => {
    writeScenario('greet-a', greeting(['smoke']));
    writeScenario('greet-b', greeting([]));
    writeScenario('greet-c', greeting(['smoke']));
    const byId = await evalRun(['--author', '--id', 'greet-c,greet-b']);
    expect(byId.code, byId.stdout + byId.stderr).toBe(0);
    expect(tableRows(byId.stdout).map((r) => r.scenario)).toEqual(['greet-b', 'greet-c']);

    const both = await evalRun(['--id', 'greet-a,greet-b', '--tag', 'smoke']);
    expect(tableRows(both.stdout).map((r) => [r.scenario, r.result])).toEqual([['greet-a', 'FAIL']]);
    expect(both.stdout).toContain('[missing_cassette]');
  });

  it('exits 2 when no scenario matches the filters', async () => {
    writeScenario('greet-a', greeting(['smoke']));
    for (const filter of [
      ['--tag', 'billing'],
      ['--id', 'greet-z'],
      ['--file', 'nowhere.json'],
    ]) {
      const run = await evalRun(filter);
      expect(run.code, filter.join(' ')).toBe(2);
      expect(run.stderr).toBe('helpdesk: no scenario matches the filters\n');
    }
  });

  it('exits 2 and names the folder when the scenario folder does not exist', async () => {
    rmSync(scenarios, { recursive: true });
    const run = await evalRun([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(scenarios);
    expect(run.stderr).not.toContain('unexpected error');
  });

  it.each([
    {
      what: 'a concurrency of 0',
      args: ['--concurrency', '0'],
      says: 'helpdesk: --concurrency must be a whole number of at least 1, got "0"\n',
    },
    {
      what: 'a fractional concurrency',
      args: ['--concurrency', '1.5'],
      says: 'helpdesk: --concurrency must be a whole number of at least 1, got "1.5"\n',
    },
    { what: 'two modes at once', args: ['--record', '--live'], says: 'helpdesk: choose one of --record, --author, --live and --rebase\n' },
  ])('exits 2 with a one-line reason for $what', async ({ args, says }) => {
    writeScenario('greet-a', greeting([]));
    const run = await evalRun(args, { OPENAI_API_KEY: API_KEY });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(says);
  });
  it('runs each variation as its own case and reports them grouped: a table per scenario, results.json and JUnit', async () => {
    writeScenario('critical', {
      description: 'One intent, two phrasings.',
      tags: ['intent'],
      variations: [
        { turns: [QUESTION], script: WORKED_EXAMPLE.script },
        {
          id: 'terse',
          turns: ['Critical tickets of CUST-001?'],
          script: [{ tool_calls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001' } }] }, { answer: ANSWER }],
        },
      ],
      expect: {
        tools: [
          { mode: 'subset', calls: [{ name: 'search_tickets' }] },
          { mode: 'subset', calls: [{ args: { priority: 'critical' } }] },
        ],
        stop_reason: 'any',
      },
    });
    const authored = await evalRun(['--author']);
    expect(authored.code).toBe(1);
    expect(readdirSync(recordings).sort()).toEqual(['critical.terse.json', 'critical.v1.json']);

    const replayed = await evalRun(['--id', 'critical']);
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toMatch(/│ critical\s+│ 1\/2\s+│ 50%\s+│ v1 ✓  terse ✗\s+│/);
    expect(replayed.stdout).toContain('✗ critical.terse');
    expect(replayed.stdout).toContain('[tools#2] expected [any tool with {"priority":"critical"}] (subset), got [search_tickets]');
    const results = readJson(join(work, 'report', 'results.json'));
    expect(results.scenarios.map((s: { id: string; variation: unknown }) => [s.id, s.variation])).toEqual([
      ['critical.terse', { scenario: 'critical', variation: 'terse', index: 2, text: 'Critical tickets of CUST-001?' }],
      ['critical.v1', { scenario: 'critical', variation: 'v1', index: 1, text: QUESTION }],
    ]);
    const junit = readFileSync(join(work, 'report', 'junit.xml'), 'utf8');
    expect(junit).toContain('<testcase classname="scenarios.critical" name="critical.v1"');
    expect(readFileSync(join(work, 'report', 'summary.md'), 'utf8')).toContain('| critical | 1/2 | 50% | ✅ v1 ❌ terse |');
  });

  it('records the judge on its own endpoint and model from HELPDESK_JUDGE_*, prints its verdict, and keeps both keys out of the cassette', async () => {
    writeScenario('judged', { ...WORKED_EXAMPLE, expect: { ...WORKED_EXAMPLE.expect, judge: { rubric: 'Lists both critical tickets.' } } });
    const agent = await fakeOpenAI(WORKED_EXAMPLE_REPLIES);
    const judge = await startFakeOpenAI([{ turn: { answer: JSON.stringify({ score: 1, pass: true, reasons: ['Both tickets named.'] }) } }]);
    try {
      const judgeKey = 'sk-judge-only-secret';
      const recorded = await evalRun(['--record'], {
        OPENAI_API_KEY: API_KEY,
        OPENAI_BASE_URL: agent.url,
        HELPDESK_MODEL_RETRIES: '0',
        HELPDESK_JUDGE_BASE_URL: judge.url,
        HELPDESK_JUDGE_API_KEY: judgeKey,
        HELPDESK_JUDGE_MODEL: 'judge-4',
      });
      expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
      expect(judge.requests.map((r) => [r.body.model, r.headers.authorization])).toEqual([['judge-4', `Bearer ${judgeKey}`]]);
      expect(recorded.stdout).toMatch(
        /judged answers \(1 judge calls, 0 tokens, .+\):\n  ✓ judged judge: score 1\.00 \(judge says pass, judge-4\): Both tickets named\./,
      );
      const text = readFileSync(join(recordings, 'judged.json'), 'utf8');
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(judgeKey);
      expect(JSON.parse(text).judge_interactions).toHaveLength(1);
    } finally {
      await judge.close();
    }
    const replayed = await evalRun([]);
    expect(replayed.code, replayed.stdout).toBe(0);
    expect(replayed.stdout).toContain('✓ judged judge: score 1.00 (judge says pass, judge-4): Both tickets named.');
  });

  it('refuses a malformed HELPDESK_JUDGE_API_KEY by its name before starting anything', async () => {
    writeScenario('judged', { ...WORKED_EXAMPLE, expect: { ...WORKED_EXAMPLE.expect, judge: { rubric: 'r' } } });
    const run = await evalRun(['--live'], { OPENAI_API_KEY: API_KEY, HELPDESK_JUDGE_API_KEY: 'sk-two words' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HELPDESK_JUDGE_API_KEY contains spaces or line breaks');
  });
  it('names a drift once with its kind and risk, then --rebase refreshes the cassette and replay is green again', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    writeScenario('greet', greeting([]));
    expect((await evalRun(['--author'])).code).toBe(0);
    // The cassette as if recorded when TKT-1004 had another assignee.
    const path = join(recordings, 'worked-example.json');
    const cassette = readJson(path);
    cassette.interactions[1].request.messages[3].content = cassette.interactions[1].request.messages[3].content.replace(
      'Sarah Lee',
      'Sam Lee',
    );
    writeFileSync(path, `${JSON.stringify(cassette, null, 2)}\n`);
    const greet = readFileSync(join(recordings, 'greet.json'), 'utf8');

    const drifted = await evalRun([]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain('    [request_mismatch] data: search_tickets result tickets[].assignee: "Sam Lee" → "Sarah Lee"\n');
    expect(drifted.stdout).toContain(
      [
        'drift: 1 change, each shown once',
        '  [data] search_tickets result tickets[].assignee: "Sam Lee" → "Sarah Lee" — 1 scenario: worked-example',
        '      search_tickets({"customer_id":"CUST-001","priority":"critical"}) → tickets[1].assignee: recorded "Sam Lee", now "Sarah Lee"',
      ].join('\n'),
    );
    const results = readJson(join(work, 'report', 'results.json'));
    expect(results.drift).toEqual([expect.objectContaining({ kind: 'data', scenarios: ['worked-example'] })]);
    expect(readFileSync(join(work, 'report', 'junit.xml'), 'utf8')).toContain('<property name="drift" value="data"/>');

    const rebased = await evalRun(['--rebase']);
    expect(rebased.code, rebased.stdout).toBe(0);
    expect(rebased.stdout).toContain('rebase: 1 cassette(s) rewritten, 1 unchanged, 0 refused\n  ↻ worked-example rebased\n');
    expect(readJson(path).rebased.changes).toEqual(['data: search_tickets result tickets[].assignee: "Sam Lee" → "Sarah Lee"']);
    expect(readFileSync(join(recordings, 'greet.json'), 'utf8')).toBe(greet);
    expect((await evalRun([])).code).toBe(0);
    expect((await evalRun(['--rebase', '--record'])).stderr).toContain('choose one of --record, --author, --live and --rebase');
  });
});
