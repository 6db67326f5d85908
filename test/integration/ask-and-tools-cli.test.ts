import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scriptedResponse, type ScriptedTurn } from '../../src/orchestrator/scripted-model.ts';
import { TranscriptSchema } from '../../src/orchestrator/transcript.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeReply } from '../support/fake-openai.ts';
import { ROOT, SERVERS } from '../servers.ts';
import { isAlive, serversStartedWith } from '../support/processes.ts';
import { childEnv } from '../support/child-env.ts';
import { type HelpdeskRun, runHelpdesk } from '../support/run-helpdesk.ts';

const HELPDESK = resolve(ROOT, 'src', 'cli', 'helpdesk.ts');
const QUESTION = 'What are the critical tickets for customer CUST-001?';
const API_KEY = 'test-key-5ecr3t-9f2c';
const ALL_TOOLS = SERVERS.flatMap((server) => server.tools);
/** Longest a CLI run may take before the test kills it and fails. */
const RUN_LIMIT_MS = 12_000;

const WORKED_EXAMPLE: FakeReply[] = [
  { turn: { toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] } },
  { turn: { answer: 'CUST-001 has two critical tickets: TKT-1001 and TKT-1004.' } },
];

type Run = HelpdeskRun;

interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Called once the child is running, e.g. to send it a signal. */
  readonly during?: (child: ChildProcess) => Promise<void>;
}

let cwd: string;
let fake: FakeOpenAI | undefined;
/** The HELPDESK_NOW of every run of the current test, to find its server processes. */
const clocks: string[] = [];

beforeAll(async () => {
  // An empty working directory, so a .env in the repository cannot leak into the runs.
  cwd = await mkdtemp(join(tmpdir(), 'helpdesk-cli-'));
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  const left = (await Promise.all(clocks.splice(0).map(serversStartedWith))).flat();
  expect(left, 'server processes left running after the CLI exited').toEqual([]);
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/**
 * A pinned clock unique to one run: the dataset's day (so answers do not change) with random
 * milliseconds, which marks that run's server processes in /proc/<pid>/environ.
 */
function uniqueNow(): string {
  return `2025-10-05T12:00:00.${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`;
}

async function fakeOpenAI(replies: readonly FakeReply[]): Promise<FakeOpenAI> {
  fake = await startFakeOpenAI(replies);
  return fake;
}

/** The environment of a run against `server`: nothing but what the CLI needs. */
function liveEnv(server: FakeOpenAI, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: server.url, ...extra };
}

/** Runs `helpdesk ...args` as a child process (HELPDESK_NOW unique unless given) and collects its output and exit. */
async function helpdesk(args: string[], options: RunOptions = {}): Promise<Run> {
  const env: Record<string, string> = childEnv({ HELPDESK_NOW: uniqueNow() });
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  clocks.push(env.HELPDESK_NOW ?? '');
  return runHelpdesk(args, { cwd: options.cwd ?? cwd, env, entry: HELPDESK, limitMs: RUN_LIMIT_MS, during: options.during });
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A 200 reply with a chat completion that reports token usage (the scripted turns report zero). */
function withUsage(turn: Exclude<ScriptedTurn, { error: unknown }>, index: number, prompt: number, completion: number): FakeReply {
  const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  return { status: 200, json: { object: 'chat.completion', created: 0, ...scriptedResponse(turn, 'fake-model', index), usage } };
}

describe('helpdesk CLI as a child process', () => {
  it('asks the model --model names, over OPENAI_MODEL', async () => {
    const server = await fakeOpenAI(WORKED_EXAMPLE);
    const run = await helpdesk(['ask', '--model', 'local-qwen', QUESTION], { env: liveEnv(server, { OPENAI_MODEL: 'gpt-4.1' }) });
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests.map((r) => r.body.model)).toEqual(['local-qwen', 'local-qwen']);
  });

  it('answers the worked example with the tickets the real server returned', async () => {
    const server = await fakeOpenAI(WORKED_EXAMPLE);
    const run = await helpdesk(['ask', QUESTION], { env: liveEnv(server) });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('CUST-001 has two critical tickets: TKT-1001 and TKT-1004.\n');
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first?.path).toBe('/v1/chat/completions');
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${API_KEY}`, `Bearer ${API_KEY}`]);
    expect(first?.body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('Today is 2025-10-05.') });
    expect(first?.body.messages[1]).toEqual({ role: 'user', content: QUESTION });
    expect(first?.body.tools.map((t: { function: { name: string } }) => t.function.name).sort()).toEqual([...ALL_TOOLS].sort());
    const [assistant, toolMessage] = second?.body.messages.slice(-2) ?? [];
    expect(assistant.tool_calls[0].function).toEqual({
      name: 'search_tickets',
      arguments: '{"customer_id":"CUST-001","priority":"critical"}',
    });
    expect(toolMessage).toMatchObject({ role: 'tool', tool_call_id: assistant.tool_calls[0].id });
    const tickets = JSON.parse(toolMessage.content).tickets.map((t: { ticket_id: string }) => t.ticket_id);
    expect(tickets).toEqual(['TKT-1001', 'TKT-1004']);
    expect(run.stdout + run.stderr).not.toContain(API_KEY);
  });

  it('prints a transcript with --json that names the tickets server and sums the usage', async () => {
    const server = await fakeOpenAI([
      withUsage({ toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] }, 0, 120, 30),
      withUsage({ answer: 'TKT-1001 and TKT-1004.' }, 1, 400, 25),
    ]);
    const run = await helpdesk(['ask', '--json', QUESTION], { env: liveEnv(server) });

    expect(run.code).toBe(0);
    const transcript = TranscriptSchema.parse(JSON.parse(run.stdout));
    expect(transcript).toMatchObject({
      query: QUESTION,
      stop_reason: 'final_answer',
      iterations: 2,
      answer: 'TKT-1001 and TKT-1004.',
      usage: { prompt_tokens: 520, completion_tokens: 55, total_tokens: 575 },
    });
    const call = transcript.events.find((e) => e.type === 'tool_call');
    const result = transcript.events.find((e) => e.type === 'tool_result');
    expect(call).toMatchObject({ name: 'search_tickets', server: 'tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } });
    expect(result).toMatchObject({
      name: 'search_tickets',
      server: 'tickets',
      is_error: false,
      content: expect.stringContaining('TKT-1004'),
    });
    expect(run.stdout + run.stderr).not.toContain(API_KEY);
  });

  it.each([
    {
      what: 'a 401',
      reply: { status: 401, json: { error: { message: 'Incorrect API key provided' } } },
      says: 'rejected the API key (HTTP 401)',
    },
    {
      what: 'a 429',
      reply: { status: 429, json: { error: { message: 'Rate limit reached' } } },
      says: 'rate-limiting this key (HTTP 429)',
    },
    { what: 'a 500', reply: { status: 500, json: { error: { message: 'internal' } } }, says: 'The model API failed with HTTP 500' },
    { what: 'JSON that is not a chat completion', reply: { status: 200, json: { hello: 'world' } }, says: 'not a chat completion' },
  ])('exits 1 and explains $what from the model API', async ({ reply, says }) => {
    const server = await fakeOpenAI([reply]);
    const run = await helpdesk(['ask', QUESTION], { env: liveEnv(server, { HELPDESK_MODEL_RETRIES: '0' }) });

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(says);
    expect(run.stderr).not.toContain(API_KEY);
    expect(server.requests).toHaveLength(1);
  });

  it('exits 1 and explains a reply body that is not valid JSON', async () => {
    const server = await fakeOpenAI([{ status: 200, raw: '{"choices": [' }]);
    const run = await helpdesk(['ask', QUESTION], { env: liveEnv(server, { HELPDESK_MODEL_RETRIES: '0' }) });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not a chat completion');
  });

  it('exits 1 when the model API does not answer within HELPDESK_MODEL_TIMEOUT_MS', async () => {
    const server = await fakeOpenAI([{ turn: { answer: 'too late' }, delayMs: 8_000 }]);
    const run = await helpdesk(['ask', QUESTION], {
      env: liveEnv(server, { HELPDESK_MODEL_RETRIES: '0', HELPDESK_MODEL_TIMEOUT_MS: '400' }),
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('did not answer in time');
    expect(run.ms).toBeLessThan(6_000);
  });

  it('retries a 500 by default and then answers', async () => {
    const server = await fakeOpenAI([
      { status: 500, json: { error: { message: 'temporary' } } },
      { turn: { answer: 'Answered on the second attempt.' } },
    ]);
    const run = await helpdesk(['ask', QUESTION], { env: liveEnv(server) });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Answered on the second attempt.\n');
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('exits 2 with advice when OPENAI_API_KEY is missing, before contacting the model', async () => {
    const server = await fakeOpenAI(WORKED_EXAMPLE);
    const run = await helpdesk(['ask', QUESTION], { env: liveEnv(server, { OPENAI_API_KEY: undefined }) });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('OPENAI_API_KEY is not set');
    expect(run.stderr).toContain('.env');
    expect(run.stderr).toContain('OPENAI_API_KEY=local');
    expect(server.requests).toHaveLength(0);
  });

  it("exits 2 for a key that does not start with sk- when the base URL is OpenAI's", async () => {
    const run = await helpdesk(['ask', QUESTION], { env: { OPENAI_API_KEY: 'local' } });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('does not look like an OpenAI key');
    expect(run.stderr).toContain('OPENAI_BASE_URL');
  });

  it('exits 2 for an unknown flag and names it', async () => {
    const server = await fakeOpenAI(WORKED_EXAMPLE);
    const run = await helpdesk(['ask', '--frobnicate', QUESTION], { env: liveEnv(server) });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--frobnicate'");
    expect(server.requests).toHaveLength(0);
  });

  it('exits 2 for an unknown command, a name of Object.prototype among them, with the usage', async () => {
    for (const name of ['frobnicate', 'constructor', 'toString']) {
      const run = await helpdesk([name]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`helpdesk: unknown command "${name}"`);
      expect(run.stderr).toContain('Usage: helpdesk <command> [options]');
    }
  });

  it('exits 2 when ask gets no question', async () => {
    const server = await fakeOpenAI(WORKED_EXAMPLE);
    const run = await helpdesk(['ask'], { env: liveEnv(server) });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ask needs a question');
    expect(server.requests).toHaveLength(0);
  });

  it.each(['ask', 'chat', 'tools'])('prints the help of %s with --help and exits 0', async (command) => {
    const run = await helpdesk([command, '--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: helpdesk ${command}`));
    expect(run.stderr).toBe('');
  });

  it('exits 3 naming a server that fails to start and its stderr, and leaves no server behind', async () => {
    const server = await fakeOpenAI(WORKED_EXAMPLE);
    const config = join(cwd, 'broken.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: { broken: { command: 'node', args: ['-e', "process.stderr.write('boom'); process.exit(1)"] } },
      }),
    );
    const run = await helpdesk(['ask', '--config', config, QUESTION], { env: liveEnv(server) });

    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Server "broken" failed to start');
    expect(run.stderr).toContain('boom');
    expect(server.requests).toHaveLength(0);
    // afterEach asserts that none of the five built-in servers started beside it is left running.
  });

  it('exits 4 after --max-iterations model calls without an answer', async () => {
    const lookup: FakeReply = { turn: { toolCalls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] } };
    const server = await fakeOpenAI([lookup, lookup, lookup, lookup, lookup]);
    const run = await helpdesk(['ask', '--max-iterations', '3', QUESTION], { env: liveEnv(server) });

    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Stopped after 3 model calls without a final answer');
    expect(server.requests).toHaveLength(3);
  });

  it('exits 130 soon after Ctrl+C during a model call and stops every server', async () => {
    const server = await fakeOpenAI([{ turn: { answer: 'never delivered' }, delayMs: 10_000 }]);
    const now = uniqueNow();
    let serverPids: number[] = [];
    let serverEnvs: string[] = [];
    let interruptedAt = 0;
    const run = await helpdesk(['ask', QUESTION], {
      env: liveEnv(server, { HELPDESK_NOW: now }),
      during: async (child) => {
        await until(() => server.requests.length === 1, 8_000);
        serverPids = await serversStartedWith(now);
        serverEnvs = await Promise.all(serverPids.map((pid) => readFile(`/proc/${pid}/environ`, 'utf8')));
        interruptedAt = performance.now();
        child.kill('SIGINT');
      },
    });
    const stoppedAfter = performance.now() - interruptedAt;

    expect(serverPids).toHaveLength(5);
    for (const environ of serverEnvs) expect(environ).not.toContain(API_KEY);
    expect(run).toMatchObject({ code: 130, signal: null });
    expect(stoppedAfter).toBeLessThan(3_000);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Cancelled.');
    expect(serverPids.filter(isAlive)).toEqual([]);
    expect(await serversStartedWith(now)).toEqual([]);
  });

  it('lists the twenty tools of five servers in a table without an API key', async () => {
    const run = await helpdesk(['tools']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('5 servers, 20 tools');
    expect(run.stdout).toMatch(/│ tickets\s+│ 15 \(helpdesk:\/\/tickets\/\{ticket_id\}\)\s+│ triage_ticket, priority_report\s+│/);
    for (const server of SERVERS) {
      for (const tool of server.tools) expect(run.stdout).toMatch(new RegExp(`│ ${server.folder}\\s+│ ${tool}\\s+│`));
    }
  });

  it('ends quietly with exit code 0 when the reader of its output has gone (helpdesk tools | head -1)', async () => {
    const run = await helpdesk(['tools'], {
      during: async (child) => {
        child.stdout?.destroy();
      },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('lists the servers and tools as JSON with tools --json', async () => {
    const run = await helpdesk(['tools', '--json']);

    expect(run.code).toBe(0);
    const listing = JSON.parse(run.stdout) as {
      servers: { name: string; state: string; tools: number }[];
      tools: { name: string; server: string }[];
    };
    expect(listing.servers).toEqual(
      SERVERS.map((s) => ({
        name: s.folder,
        transport: 'stdio',
        state: 'ready',
        tools: 4,
        resources: expect.any(Number),
        resource_templates: [expect.stringMatching(/^helpdesk:\/\/\w+\/\{\w+\}$/)],
        prompts: expect.any(Array),
      })),
    );
    expect(listing.servers.map((s) => (s as unknown as { resources: number }).resources)).toEqual([15, 8, 15, 10, 12]);
    expect(listing.tools.map((t) => `${t.server}/${t.name}`)).toEqual(SERVERS.flatMap((s) => s.tools.map((t) => `${s.folder}/${t}`)));
  });

  it('reads OPENAI_API_KEY and OPENAI_BASE_URL from a .env file in the working directory', async () => {
    const server = await fakeOpenAI(WORKED_EXAMPLE);
    const dir = await mkdtemp(join(cwd, 'dotenv-'));
    await writeFile(join(dir, '.env'), `OPENAI_API_KEY=dotenv-key-1\nOPENAI_BASE_URL=${server.url}\n`);
    const run = await helpdesk(['ask', QUESTION], { cwd: dir });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('TKT-1004');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer dotenv-key-1');
  });

  it('prefers a variable set in the environment over the same one in .env', async () => {
    const server = await fakeOpenAI(WORKED_EXAMPLE);
    const dir = await mkdtemp(join(cwd, 'dotenv-'));
    await writeFile(join(dir, '.env'), 'OPENAI_API_KEY=dotenv-key-1\nOPENAI_BASE_URL=http://127.0.0.1:9/v1\n');
    const run = await helpdesk(['ask', QUESTION], { cwd: dir, env: liveEnv(server, { OPENAI_API_KEY: 'env-key-2' }) });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer env-key-2');
  });
});
