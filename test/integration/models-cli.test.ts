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

/** The last user question of a request, chat completions or Responses API alike. */
function question(body: any): string {
  const items: any[] = body.messages ?? body.input ?? [];
  return String(items.findLast((m) => m.role === 'user')?.content ?? '');
}

/** Whether a tool result has come back in the request (the model's second turn). */
const afterTools = (body: any): boolean =>
  (body.messages ?? body.input ?? []).some((m: any) => m.role === 'tool' || m.type === 'function_call_output');

/** A chat-completions reply that reports 1,000 prompt and 500 completion tokens. */
function priced(turn: { answer: string } | { toolCalls: { name: string; arguments: unknown }[] }, index: number) {
  const message =
    'answer' in turn
      ? { role: 'assistant', content: turn.answer }
      : {
          role: 'assistant',
          content: null,
          tool_calls: turn.toolCalls.map((c, i) => ({
            id: `call_${index}_${i}`,
            type: 'function',
            function: { name: c.name, arguments: JSON.stringify(c.arguments) },
          })),
        };
  return {
    status: 200,
    json: {
      id: `chatcmpl-${index}`,
      object: 'chat.completion',
      created: 0,
      model: 'model-a',
      choices: [{ index: 0, message, finish_reason: 'answer' in turn ? 'stop' : 'tool_calls' }],
      usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
    },
  };
}

describe('models side by side', () => {
  const SUITE = {
    'worked-example': WORKED_EXAMPLE,
    greeting: { description: 'A greeting.', turns: ['Hello?'], expect: { answer: { contains: ['help'] }, latency: BUDGETS } },
    thanks: { description: 'Thanks.', turns: ['Thanks!'], expect: { answer: { contains: ['welcome'] }, latency: BUDGETS } },
  };

  it('records two models on two endpoints (chat and Responses), names exactly the scenarios where they differ, prices from the config, and replays the comparison offline with the same verdicts', async () => {
    for (const [id, body] of Object.entries(SUITE)) writeScenario(id, body);
    let served = 0;
    // model-a answers everything as the scenarios expect.
    const a = await endpoint(({ body }) => {
      const q = question(body);
      if (q === QUESTION && !afterTools(body))
        return priced({ toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] }, served++);
      if (q === QUESTION) return priced({ answer: ANSWER }, served++);
      if (q === 'Hello?') return priced({ answer: 'Hello, how can I help?' }, served++);
      return priced({ answer: "You're welcome." }, served++);
    });
    // model-b, over the Responses API, asks for high-priority tickets and forgets the courtesy.
    const b = await endpoint(({ body }) => {
      const q = question(body);
      if (q === QUESTION && !afterTools(body))
        return { turn: { toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'high' } }] } };
      if (q === QUESTION) return { turn: { answer: ANSWER } };
      if (q === 'Hello?') return { turn: { answer: 'Hello, how can I help?' } };
      return { turn: { answer: 'ok' } };
    }, 'model-b');
    writeConfig({
      models: [
        { name: 'model-a', baseURL: a.url },
        { name: 'model-b', api: 'responses', baseURL: b.url, apiKeyEnv: 'MODEL_B_KEY' },
      ],
      prices: { 'model-a': { input: 1, output: 2 } },
    });
    const B_KEY = 'sk-model-b-key-never-written';

    const recorded = await evalRun(['--record', '--report-dir', 'recorded'], {
      OPENAI_API_KEY: API_KEY,
      MODEL_B_KEY: B_KEY,
      HELPDESK_MODEL_RETRIES: '0',
    });
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(1);
    expect(a.requests.every((r) => r.path === '/v1/chat/completions' && r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
    expect(b.requests.every((r) => r.path === '/v1/responses' && r.headers.authorization === `Bearer ${B_KEY}`)).toBe(true);
    const comparison = readJson('recorded', 'comparison.json');
    expect(comparison.models.map((m: { label: string; api: string; passed: number }) => [m.label, m.api, m.passed])).toEqual([
      ['model-a', 'chat', 3],
      ['model-b', 'responses', 1],
    ]);
    expect([...comparison.differing].sort()).toEqual(['thanks', 'worked-example']);
    // Four model-a replies at 1,000 + 500 tokens and $1 / $2 per million: $0.008; model-b has no price (its three trials unpriced).
    expect(comparison.models[0].cost_usd).toBeCloseTo(0.008, 10);
    expect(comparison.models[1]).toMatchObject({ cost_usd: null, unpriced: 3 });
    expect(recorded.stdout).toContain('$0.0080');
    expect(recorded.stdout).toContain('the models differ on 2');
    const differTable = recorded.stdout.slice(recorded.stdout.indexOf('where the models differ:'));
    expect(differTable).toMatch(/worked-example\s*│\s*pass\s*│\s*FAIL/);
    expect(differTable).not.toContain('greeting');
    // Each model's cassettes in its own folder, in its own wire format; no key in any of them or any report.
    expect(readJson('recordings', 'model-a', 'worked-example.json').api).toBeUndefined();
    expect(readJson('recordings', 'model-b', 'worked-example.json').api).toBe('responses');
    expect(readJson('recorded', 'model-b', 'results.json').totals).toMatchObject({ passed: 1, failed: 2 });
    const html = readFileSync(join(work, 'recorded', 'comparison.html'), 'utf8');
    expect([...html.matchAll(/<tr data-scenario="([^"]+)" class="differs">/g)].map((m) => m[1]).sort()).toEqual([
      'thanks',
      'worked-example',
    ]);
    expect(html).toContain('href="model-b/report.html#scenario-thanks"');
    for (const file of [
      ...['worked-example', 'greeting', 'thanks'].flatMap((id) => [
        join('recordings', 'model-a', `${id}.json`),
        join('recordings', 'model-b', `${id}.json`),
      ]),
      ...['comparison.json', 'comparison.md', 'comparison.html', join('model-a', 'results.json'), join('model-b', 'results.json')].map(
        (f) => join('recorded', f),
      ),
    ]) {
      const text = readFileSync(join(work, file), 'utf8');
      expect(text, file).not.toContain(API_KEY);
      expect(text, file).not.toContain(B_KEY);
    }

    await Promise.all(endpoints.splice(0).map((e) => e.close()));
    const replayed = await evalRun(['--report-dir', 'replayed']);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(1);
    const again = readJson('replayed', 'comparison.json');
    expect(again.mode).toBe('replay');
    const verdicts = (c: { scenarios: { id: string; verdicts: Record<string, { pass: boolean } | null> }[] }) =>
      Object.fromEntries(c.scenarios.map((s) => [s.id, Object.fromEntries(Object.entries(s.verdicts).map(([m, v]) => [m, v?.pass]))]));
    expect(verdicts(again)).toEqual(verdicts(comparison));
    expect(again.differing).toEqual(comparison.differing);
    expect(again.models.map((m: { model: string }) => m.model)).toEqual(['model-a', 'model-b']);

    // --list says which cassettes each model has.
    const listed = await evalRun(['--list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/model-a: live\s*│[^\n]*\n[^\n]*model-b: live/);

    // One model of the comparison, picked by --model, replays from its own folder.
    const one = await evalRun(['--model', 'model-a', '--report-dir', 'one']);
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(readJson('one', 'comparison.json').models.map((m: { label: string }) => m.label)).toEqual(['model-a']);
  });

  it("checks every model's key before any model runs, naming the variable", async () => {
    writeScenario('greeting', SUITE.greeting);
    const a = await endpoint([{ turn: { answer: 'Hello, how can I help?' } }]);
    writeConfig({
      models: [
        { name: 'model-a', baseURL: a.url },
        { name: 'model-b', baseURL: a.url, apiKeyEnv: 'MODEL_B_KEY' },
      ],
    });
    const run = await evalRun(['--record'], { OPENAI_API_KEY: API_KEY });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('MODEL_B_KEY is not set');
    expect(a.requests).toHaveLength(0);
  });

  it('refuses two models that would share a cassette folder, and --baseline with a comparison', async () => {
    writeScenario('greeting', SUITE.greeting);
    writeConfig({});
    const clash = await evalRun(['--live', '--model', 'org/model', '--model', 'org:model'], { OPENAI_API_KEY: API_KEY });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('models org/model and org:model would both be called "org-model"');
    const baseline = await evalRun(['--model', 'a', '--model', 'b', '--baseline', 'x']);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain("--baseline compares one model's run with an earlier one");
  });
});
