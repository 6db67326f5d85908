import { execFile, spawn } from 'node:child_process';
import { collectOutput } from '../support/run-helpdesk.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_NOW } from '../../src/shared/clock.ts';
import { ROOT, SERVERS } from '../servers.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeReply } from '../support/fake-openai.ts';
import { hasTmux, TmuxSession } from '../support/tmux.ts';
import { isAlive, isRunning } from '../support/processes.ts';
import { childEnv } from '../support/child-env.ts';

// The chat as a person uses it: in a real pseudo-terminal (tmux), against real server processes
// and an OpenAI-compatible fake on 127.0.0.1. Without tmux the terminal tests skip; CI installs it.
if (!hasTmux) console.warn('test/e2e/chat-terminal.test.ts: terminal tests skipped because tmux is not on PATH (apt-get install -y tmux)');
const inTerminal = it.skipIf(!hasTmux);

const HELPDESK = resolve(ROOT, 'src/cli/helpdesk.ts');
const SERVER_NAMES = SERVERS.map((s) => s.folder);
const WORKED_EXAMPLE = 'What are the critical tickets for customer CUST-001?';

let cwd: string;
let chat: TmuxSession | undefined;
let fake: FakeOpenAI | undefined;
/** Every server process seen under a chat of the current test; all must be gone at its end. */
const serverPids = new Set<number>();

beforeAll(() => {
  // No .env here, so nothing from the developer's machine reaches the chat.
  cwd = mkdtempSync(join(tmpdir(), 'helpdesk-chat-'));
});

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

afterEach(async () => {
  await chat?.kill();
  chat = undefined;
  await fake?.close();
  fake = undefined;
  // After a failure the hang-up ends the servers through their stdin; kill what is still left.
  if (!(await allGone([...serverPids], 3_000))) for (const pid of serverPids) killIfAlive(pid);
  serverPids.clear();
});

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/**
 * Whether every pid has stopped running within `timeoutMs`. A server whose chat died with the
 * terminal is an orphan: once it exits it stays a zombie until init reaps it, which here takes
 * up to two seconds, so a zombie counts as gone.
 */
async function allGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await Promise.all(pids.map(isRunning))).some(Boolean)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** The server processes the chat started: its child processes, found with ps. */
async function childServers(parent: number): Promise<{ pid: number; args: string }[]> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid=,ppid=,args=']);
  const children = stdout
    .split('\n')
    .flatMap((line) => {
      const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
      return match && Number(match[2]) === parent ? [{ pid: Number(match[1]), args: match[3] ?? '' }] : [];
    })
    .filter((child) => /servers[/\\]\w+/.test(child.args));
  for (const child of children) serverPids.add(child.pid);
  return children;
}

function baseEnv(): Record<string, string> {
  return childEnv({ HOME: process.env.HOME ?? cwd, TERM: 'xterm-256color', HELPDESK_NOW: DATASET_NOW });
}

/** Starts the chat in a terminal and waits for its first prompt and its five servers. */
async function openChat(replies?: readonly FakeReply[]): Promise<TmuxSession> {
  const env = baseEnv();
  if (replies) {
    fake = await startFakeOpenAI(replies);
    Object.assign(env, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url });
  }
  chat = await TmuxSession.start({ command: process.execPath, args: [HELPDESK, 'chat'], env, cwd });
  await chat.waitFor(/Type a question, or \/help for commands\.\n\s*you>/, 12_000);
  expect((await childServers(await chat.pid())).length).toBe(SERVER_NAMES.length);
  return chat;
}

/** Polls until the fake has received `count` requests. */
async function requestsReach(count: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((fake?.requests.length ?? 0) < count) {
    if (Date.now() > deadline) throw new Error(`the fake model got ${fake?.requests.length ?? 0} requests, expected ${count}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Role and content of each message the model was sent in request `index`. */
function conversation(index: number): { role: string; content: unknown }[] {
  return fake?.requests[index]?.body.messages.map((m: { role: string; content: unknown }) => ({ role: m.role, content: m.content }));
}

async function expectEndedCleanly(session: TmuxSession, status: number): Promise<void> {
  expect(await session.exited(8_000)).toBe(status);
  expect(serverPids.size).toBeGreaterThanOrEqual(SERVER_NAMES.length);
  const alive = [...serverPids].filter(isAlive);
  expect(alive, `server processes still running after the chat ended: ${alive.join(', ')}`).toEqual([]);
}

describe('helpdesk chat', () => {
  inTerminal('shows the tool call live with its server, then the answer built on the tool result', async () => {
    const answer = 'CUST-001 has two critical tickets: TKT-1001 (Windows 11 BSOD) and TKT-1004 (slow network).';
    const session = await openChat([
      { turn: { toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] } },
      // The answer comes late, so the screen can be read while the question is still running.
      { turn: { answer }, delayMs: 1_500 },
    ]);
    await session.type(WORKED_EXAMPLE);

    const during = await session.waitFor(/✓ search_tickets \[tickets\] [\d.]+ ms/);
    expect(during).toContain('→ search_tickets({"customer_id":"CUST-001","priority":"critical"}) [tickets]');
    expect(during).not.toContain(answer);
    const after = await session.waitFor(new RegExp(`${answer.replace(/[.()]/g, '\\$&')}\\n\\s*you>$`));
    expect(after.indexOf('→ search_tickets')).toBeLessThan(after.indexOf(answer));

    const toolMessage = fake?.requests[1]?.body.messages.find((m: { role: string }) => m.role === 'tool');
    const result = JSON.parse(toolMessage.content);
    expect(result.tickets.map((t: { ticket_id: string }) => t.ticket_id)).toEqual(['TKT-1001', 'TKT-1004']);
    expect(fake?.requests[0]?.body.messages.at(-1)).toEqual({ role: 'user', content: WORKED_EXAMPLE });
  });

  inTerminal('keeps the conversation for a follow-up question and forgets it after /new', async () => {
    const session = await openChat([
      { turn: { answer: 'TechCorp is customer CUST-001.' } },
      { turn: { answer: 'It has two critical tickets, TKT-1001 and TKT-1004.' } },
      { turn: { answer: 'KB-001 explains how to fix a Windows BSOD.' } },
    ]);
    await session.type('Which customer is TechCorp?');
    await session.waitFor(/TechCorp is customer CUST-001\.\n\s*you>$/);
    await session.type('And its critical tickets?');
    await session.waitFor(/TKT-1001 and TKT-1004\.\n\s*you>$/);
    await session.type('/new');
    await session.waitFor(/Started a new conversation\.\n\s*you>$/);
    await session.type('What is KB-001 about?');
    await session.waitFor(/KB-001 explains how to fix a Windows BSOD\.\n\s*you>$/);

    expect(conversation(1)).toEqual([
      { role: 'system', content: expect.stringContaining('Today is 2025-10-05.') },
      { role: 'user', content: 'Which customer is TechCorp?' },
      { role: 'assistant', content: 'TechCorp is customer CUST-001.' },
      { role: 'user', content: 'And its critical tickets?' },
    ]);
    expect(conversation(2)).toEqual([
      { role: 'system', content: expect.stringContaining('IT-support assistant') },
      { role: 'user', content: 'What is KB-001 about?' },
    ]);
  });

  inTerminal('lists five ready servers with their process ids, and every tool with its server', async () => {
    const session = await openChat([]);
    const pids = (await childServers(await session.pid())).map((c) => c.pid);

    await session.type('/servers');
    const servers = await session.waitFor(/assets\s+\w+[^\n]*\n\s*you>$/);
    for (const name of SERVER_NAMES) expect(servers).toMatch(new RegExp(`^${name}\\s+ready\\s+4 tools\\s+pid \\d+$`, 'm'));
    const shown = [...servers.matchAll(/ready\s+4 tools\s+pid (\d+)/g)].map((m) => Number(m[1]));
    expect(shown.sort()).toEqual(pids.sort());

    await session.type('/tools');
    const tools = await session.waitFor(/search_tickets[\s\S]*get_asset_history[^\n]*\n[^\n]*\n\s*you>$/);
    for (const server of SERVERS) {
      for (const tool of server.tools) expect(tools).toMatch(new RegExp(`${server.folder}\\W+${tool}\\b`));
    }
    expect(fake?.requests).toEqual([]);
  });

  inTerminal('lists the prompt commands on /help', async () => {
    const session = await openChat();
    await session.type('/help');
    const help = await session.waitFor(/you>\s+\/help\n[\s\S]+\n\s*you>$/);
    for (const command of ['/tools', '/servers', '/call <tool> [json]', '/new', '/help', '/quit', 'Ctrl+C cancels the running question']) {
      expect(help).toContain(command);
    }
  });

  inTerminal('starts without an API key, says how to set one, and still calls tools with /call', async () => {
    const session = await openChat();
    const start = await session.screen();
    expect(start).toContain('model not configured');
    expect(start).toContain('OPENAI_API_KEY is not set. Export it (export OPENAI_API_KEY=sk-...) or put it in a .env file');

    await session.type('/call get_ticket_details {"ticket_id":"TKT-1001"}');
    const found = await session.waitFor(/✓ get_ticket_details \[tickets\][\s\S]*\}\n\s*you>$/);
    expect(found).toContain('"ticket_id": "TKT-1001"');
    expect(found).toContain('"subject": "Windows 11 BSOD - DRIVER_IRQL_NOT_LESS_OR_EQUAL"');

    await session.type('/call get_ticket_details {"ticket_id":"TKT-9999"}');
    const missing = await session.waitFor(/✗ get_ticket_details \[tickets\][\s\S]*\}\n\s*you>$/);
    const envelope = JSON.parse(missing.slice(missing.indexOf('{', missing.indexOf('✗ get_ticket_details')), missing.lastIndexOf('}') + 1));
    expect(envelope).toMatchObject({ error: 'Ticket TKT-9999 not found', retryable: true, follow_up_tools: ['search_tickets'] });

    await session.type('Which tickets are open?');
    await session.waitFor(
      /you>\s+Which tickets are open\?\nOPENAI_API_KEY is not set\.[^\n]*\n[^\n]*\/call search_tickets[^\n]*\n\s*you>$/,
    );
  });

  inTerminal('cancels a slow question on Ctrl+C, answers the next one, and ends on Ctrl+C at the prompt', async () => {
    const session = await openChat([
      { turn: { answer: 'This answer comes too late.' }, delayMs: 10_000 },
      { turn: { toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] } },
      { turn: { answer: 'TKT-1001 and TKT-1004 are critical.' } },
    ]);
    await session.type('A question the model is slow to answer');
    await requestsReach(1);
    const pressed = Date.now();
    await session.press('C-c');
    await session.waitFor(/Cancelling the question… \(Ctrl\+C again to quit\)\s+Cancelled\.\s+you>/, 3_000);
    expect(Date.now() - pressed).toBeLessThan(3_000);

    await session.type(WORKED_EXAMPLE);
    const next = await session.waitFor(/TKT-1001 and TKT-1004 are critical\.\n\s*you>$/);
    expect(next).toMatch(/✓ search_tickets \[tickets\]/);
    expect(next).not.toContain('This answer comes too late.');
    await childServers(await session.pid());

    await session.press('C-c');
    await session.waitFor(/Goodbye\./);
    await expectEndedCleanly(session, 0);
  });

  inTerminal('keeps the five servers running when Ctrl+C cancels a question', async () => {
    const session = await openChat([{ turn: { answer: 'This answer comes too late.' }, delayMs: 10_000 }]);
    const before = (await childServers(await session.pid())).map((c) => c.pid).sort();
    await session.type('A question the model is slow to answer');
    await requestsReach(1);
    await session.press('C-c');
    await session.waitFor(/Cancelled\.\n\s*you>/, 3_000);
    // Long enough for a server that received the SIGINT to have exited.
    await new Promise((r) => setTimeout(r, 1_000));

    await session.type('/servers');
    const screen = await session.waitFor(/\nassets [^\n]*\n\s*you>$/);
    expect(screen).not.toContain('stopped unexpectedly');
    const shown = [...screen.matchAll(/ready\s+4 tools\s+pid (\d+)/g)].map((m) => Number(m[1]));
    expect(shown.sort()).toEqual(before);
  });

  inTerminal('ends on a second Ctrl+C during a question and stops every server', async () => {
    const session = await openChat([{ turn: { answer: 'This answer comes too late.' }, delayMs: 10_000 }]);
    await session.type('A question the model is slow to answer');
    await requestsReach(1);
    await session.press('C-c');
    await session.waitFor(/Cancelling the question/, 3_000);
    await session.press('C-c');
    // Whether the second Ctrl+C lands before the prompt is back (quit: 130) or at the prompt
    // (leave: 0) is a matter of milliseconds; both must end the program with nothing left.
    const screen = await session.waitFor(/Stopping the servers…|Goodbye\./);
    await expectEndedCleanly(session, screen.includes('Goodbye.') ? 0 : 130);
  });

  inTerminal('says Goodbye on /quit and stops every server', async () => {
    const session = await openChat([]);
    await session.type('/quit');
    await expectEndedCleanly(session, 0);
    expect(await session.screen()).toMatch(/you>\s+\/quit\nGoodbye\.$/);
    expect(fake?.requests).toEqual([]);
  });

  it('reads lines from a pipe when stdin is not a terminal: /call then /quit', async () => {
    const child = spawn(process.execPath, [HELPDESK, 'chat'], {
      cwd,
      env: childEnv({ HOME: process.env.HOME ?? cwd, HELPDESK_NOW: DATASET_NOW }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const output = collectOutput(child);
    try {
      child.stdin.write('/call search_tickets {"priority":"critical"}\n');
      const deadline = Date.now() + 12_000;
      while (!output.stdout().includes('"total_count": 5') && child.exitCode === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await childServers(child.pid ?? -1)).length).toBe(SERVER_NAMES.length);
      child.stdin.end('/quit\n');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running after 8 s'), 8_000))]);
      expect(code, output.stderr()).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const ids = [...output.stdout().matchAll(/"ticket_id": "(TKT-\d+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['TKT-1001', 'TKT-1002', 'TKT-1004', 'TKT-1009', 'TKT-1011']);
    expect(output.stdout()).toMatch(/you> \/quit\nGoodbye\.\n$/);
    expect(await allGone([...serverPids], 3_000)).toBe(true);
  });
});
