import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type FakeReplies } from '../support/fake-openai.ts';
import { serversStartedWith } from '../support/processes.ts';
import { childEnv } from '../support/child-env.ts';
import { runHelpdesk, type HelpdeskRun } from '../support/run-helpdesk.ts';

// Models through the CLI as a user runs them: the Responses API recorded and replayed, and
// several models compared in one run, against OpenAI-compatible endpoints on 127.0.0.1.

const API_KEY = 'sk-models-test-key-not-for-cassettes';
const QUESTION = 'What are the critical tickets for customer CUST-001?';
const ANSWER = 'CUST-001 has two critical tickets: TKT-1001 and TKT-1004.';
/** Wide budgets: these runs share two cores with other test files; latency is tested elsewhere. */
const BUDGETS = { startup_ms: 30_000, discovery_ms: 10_000, tool_call_ms: 10_000 };

const WORKED_EXAMPLE = {
  description: 'The critical tickets of one customer.',
  tags: ['tickets'],
  turns: [QUESTION],
  expect: {
    tools: { mode: 'exact', calls: [{ name: 'search_tickets', args: { customer_id: 'CUST-001', priority: 'critical' } }] },
    answer: { contains: ['TKT-1001', 'TKT-1004'] },
    latency: BUDGETS,
  },
};

let work: string;
let now: string;
const endpoints: FakeOpenAI[] = [];

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'helpdesk-models-'));
  mkdirSync(join(work, 'scenarios'));
  now = `2025-10-05T12:00:00.${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`;
});

afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
  expect(await serversStartedWith(now), 'server processes left running after eval exited').toEqual([]);
  rmSync(work, { recursive: true, force: true });
});

async function endpoint(replies: FakeReplies, model?: string): Promise<FakeOpenAI> {
  const server = await startFakeOpenAI(replies, model);
  endpoints.push(server);
  return server;
}

function writeScenario(id: string, body: Record<string, unknown>): void {
  writeFileSync(join(work, 'scenarios', `${id}.json`), JSON.stringify({ id, now, ...body }, null, 2));
}

function writeConfig(config: Record<string, unknown>): void {
  writeFileSync(join(work, 'helpdesk.config.json'), JSON.stringify({ mcpServers: {}, ...config }, null, 2));
}

function evalRun(args: string[], env: Record<string, string> = {}): Promise<HelpdeskRun> {
  return runHelpdesk(['eval', ...args], { cwd: work, env: childEnv(env), limitMs: 30_000 });
}

const readJson = (...path: string[]) => JSON.parse(readFileSync(join(work, ...path), 'utf8'));

describe('the Responses API', () => {
  it('records through POST /responses, replays offline with the same verdict, and triages a changed prompt in a Responses cassette', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    writeFileSync(join(work, 'prompt.md'), 'You are the helpdesk assistant. Today is {{today}}.');
    writeConfig({ api: 'responses', systemPrompt: 'prompt.md' });
    const server = await endpoint([
      { turn: { toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] } },
      { turn: { answer: ANSWER } },
    ]);

    const recorded = await evalRun(['--record', '--report-dir', 'recorded'], {
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: server.url,
      HELPDESK_MODEL_RETRIES: '0',
    });
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/responses', '/v1/responses']);
    const [first, second] = server.requests.map((r) => r.body);
    expect(first.messages).toBeUndefined();
    expect(first.input.map((item: { role?: string; type?: string }) => item.role ?? item.type)).toEqual(['system', 'user']);
    expect(first.tools[0]).toMatchObject({ type: 'function', name: expect.any(String), strict: false });
    // The tool call went back as a function_call item and its result as function_call_output with the same call_id.
    const call = second.input.find((item: { type?: string }) => item.type === 'function_call');
    const output = second.input.find((item: { type?: string }) => item.type === 'function_call_output');
    expect(call).toMatchObject({ name: 'search_tickets', call_id: 'call_0_0' });
    expect(output.call_id).toBe('call_0_0');
    expect(output.output).toContain('TKT-1001');

    const text = readFileSync(join(work, 'recordings', 'worked-example.json'), 'utf8');
    expect(text).not.toContain(API_KEY);
    const cassette = JSON.parse(text);
    expect(cassette.api).toBe('responses');
    expect(cassette.interactions.map((i: { request: unknown }) => i.request)).toEqual(server.requests.map((r) => r.body));
    const live = readJson('recorded', 'results.json').scenarios[0];
    expect(live.summary.pass).toBe(true);
    expect(live.trials[0].usage.total_tokens).toBe(300);

    await server.close();
    const replayed = await evalRun(['--report-dir', 'replayed']);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(0);
    const again = readJson('replayed', 'results.json').scenarios[0];
    const verdicts = (checks: { name: string; pass: boolean; reason: string }[]) =>
      checks.filter((c) => !c.name.startsWith('latency')).map((c) => [c.name, c.pass, c.reason]);
    expect(verdicts(again.trials[0].checks)).toEqual(verdicts(live.trials[0].checks));
    expect(again.summary.pass).toBe(true);
    expect(again.trials[0].usage).toEqual(live.trials[0].usage);

    writeFileSync(join(work, 'prompt.md'), 'You are the helpdesk assistant. Be brief. Today is {{today}}.');
    const drifted = await evalRun(['--report-dir', 'drifted']);
    expect(drifted.code).toBe(1);
    const replay = readJson('drifted', 'results.json').scenarios[0].trials[0].replay;
    expect(replay.map((r: { kind?: string }) => r.kind)).toContain('prompt');
    expect(replay.find((r: { kind?: string }) => r.kind === 'prompt').diff).toContain('Be brief.');
  });

  it('authors a Responses cassette from the script with --api responses, which replays offline', async () => {
    writeScenario('worked-example', {
      ...WORKED_EXAMPLE,
      script: [
        { tool_calls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] },
        { answer: ANSWER },
      ],
    });
    writeConfig({});
    const authored = await evalRun(['--author', '--api', 'responses', '--report-dir', 'authored']);
    expect(authored.code, authored.stdout + authored.stderr).toBe(0);
    const cassette = readJson('recordings', 'worked-example.json');
    expect(cassette.api).toBe('responses');
    expect(cassette.interactions[0].request.input).toBeDefined();
    expect(cassette.interactions[1].response.body.output.at(-1).content[0].text).toBe(ANSWER);
    const replayed = await evalRun(['--report-dir', 'replayed']);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(0);
  });

  it('refuses an unknown --api value before anything starts', async () => {
    writeScenario('worked-example', WORKED_EXAMPLE);
    writeConfig({});
    const run = await evalRun(['--record', '--api', 'completions'], { OPENAI_API_KEY: API_KEY });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--api must be "chat" (chat completions) or "responses" (the Responses API), not "completions"');
  });
});
