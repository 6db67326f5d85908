import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CassetteSchema } from '../../src/harness/cassettes/cassette.ts';
import { loadScenarioFile } from '../../src/harness/scenario/scenario.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { ROOT } from '../servers.ts';
import { childEnv } from '../support/child-env.ts';

// /save in the chat, with piped stdin (one line per question) and a local OpenAI-compatible model.
const CLI = resolve(ROOT, 'src/cli/helpdesk.ts');
const KEY = 'sk-save-test-secret';
let dir: string;
let fake: FakeOpenAI | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chat-save-'));
});

afterEach(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

function chat(lines: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, 'chat', '--scenarios', join(dir, 'scenarios'), '--recordings', join(dir, 'recordings')], {
      cwd: dir,
      env: childEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake?.url ?? '', HELPDESK_NOW: '2025-10-05T12:00:00Z' }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.stdin.end(`${lines.join('\n')}\n`);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('saving a chat conversation as a scenario', () => {
  it('writes a scenario and its cassette that replay green at once, without the key, and skips a failed question', async () => {
    fake = await startFakeOpenAI([
      { turn: { toolCalls: [{ name: 'search_tickets', arguments: { customer_id: 'CUST-001', priority: 'critical' } }] } },
      { turn: { answer: 'TKT-1001 and TKT-1004 are critical.' } },
      { status: 400, json: { error: { message: 'bad request' } } },
      { turn: { toolCalls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] } },
      { turn: { answer: 'TKT-1001 is a Windows 11 BSOD, assigned to John Doe.' } },
    ]);
    const result = await chat([
      'What are the critical tickets for customer CUST-001?',
      'This question fails at the model',
      'Tell me more about the first one',
      '/save critical-followup',
      '/quit',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Saved ${join(dir, 'scenarios', 'critical-followup.json')}`);
    expect(result.stdout).toContain('Replayed it offline: pass.');

    const { scenario } = loadScenarioFile(join(dir, 'scenarios', 'critical-followup.json'));
    expect(scenario.turns).toEqual(['What are the critical tickets for customer CUST-001?', 'Tell me more about the first one']);
    expect(scenario.now).toBe('2025-10-05T12:00:00Z');
    expect(scenario.expect.tools?.[0]?.calls).toEqual([
      { name: 'search_tickets', args: { customer_id: 'CUST-001', priority: 'critical' }, args_match: 'partial' },
      { name: 'get_ticket_details', args: { ticket_id: 'TKT-1001' }, args_match: 'partial' },
    ]);
    const text = readFileSync(join(dir, 'recordings', 'critical-followup.json'), 'utf8');
    const cassette = CassetteSchema.parse(JSON.parse(text));
    expect(cassette).toMatchObject({ source: 'live', scenario: 'critical-followup' });
    expect(cassette.interactions).toHaveLength(4);
    expect(text).not.toContain(KEY);
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('saves a call whose arguments were malformed as one, so the saved scenario replays green', async () => {
    fake = await startFakeOpenAI([
      { turn: { toolCalls: [{ name: 'get_ticket_details', arguments: '{"ticket_id": "TKT-1001"' }] } },
      { turn: { toolCalls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] } },
      { turn: { answer: 'TKT-1001 is a Windows 11 BSOD, assigned to John Doe.' } },
    ]);
    const result = await chat(['Show me ticket TKT-1001', '/save malformed-then-fixed', '/quit']);
    expect(result.stdout).toContain('Replayed it offline: pass.');
    const { scenario } = loadScenarioFile(join(dir, 'scenarios', 'malformed-then-fixed.json'));
    expect(scenario.expect.tools?.[0]?.calls).toEqual([
      { name: 'get_ticket_details', malformed_arguments: true, args_match: 'partial' },
      { name: 'get_ticket_details', args: { ticket_id: 'TKT-1001' }, args_match: 'partial' },
    ]);
  });

  it('refuses to overwrite an existing scenario and to save before any question', async () => {
    fake = await startFakeOpenAI([{ turn: { answer: 'Hello.' } }, { turn: { answer: 'Hello again.' } }]);
    const first = await chat(['/save too-early', 'Hi', '/save greeting', '/quit']);
    expect(first.stderr).toContain('could not save: nothing to save yet: ask a question first');
    expect(first.stdout).toContain('Replayed it offline: pass.');
    const second = await chat(['Hi', '/save greeting', '/save Not Valid', '/quit']);
    expect(second.stderr).toContain('could not save: scenario greeting already exists');
    expect(second.stderr).toContain('"Not Valid" is not a valid scenario ID');
    expect(readdirSync(join(dir, 'scenarios'))).toEqual(['greeting.json']);
  });
});
