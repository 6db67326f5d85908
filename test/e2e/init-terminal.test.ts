import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasTmux, TmuxSession } from '../support/tmux.ts';
import { ROOT } from '../servers.ts';
import { childEnv } from '../support/child-env.ts';

// `helpdesk init` as a person answers its questions in a real pseudo-terminal (tmux), against a
// server we did not write (@modelcontextprotocol/server-everything from npm). Without tmux these
// tests skip; CI installs it. The flags and what the project then does are in
// test/integration/init-cli.test.ts.
if (!hasTmux) console.warn('test/e2e/init-terminal.test.ts: terminal tests skipped because tmux is not on PATH (apt-get install -y tmux)');

const HELPDESK = resolve(ROOT, 'src', 'cli', 'helpdesk.mjs');
const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

let work: string;
const sessions: TmuxSession[] = [];
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'helpdesk-init-'));
});
afterEach(async () => {
  await Promise.allSettled(sessions.splice(0).map((s) => s.kill()));
  rmSync(work, { recursive: true, force: true });
});

describe('helpdesk init in a terminal', () => {
  it.runIf(hasTmux)('asks for the server, the tool and its arguments in a terminal', { timeout: 60_000 }, async () => {
    const session = await initInTerminal('asked');
    await session.press('Enter');
    await session.waitFor(/Command line that starts it/);
    await session.type(`node ${EVERYTHING} stdio`);
    await session.waitFor(/Add another server/);
    await session.type('n');
    await session.waitFor(/Which tool should the example scenario use/, 20_000);
    // The list starts at the default tool; get-sum is further down. Each Down waits for the list to
    // redraw before the screen is read again: a press read against the old screen went past get-sum.
    for (let i = 0; i < 12; i += 1) {
      const before = await session.screen();
      if (/❯ get-sum/.test(before)) break;
      await session.press('Down');
      for (let wait = 0; wait < 80 && (await session.screen()) === before; wait += 1) await new Promise((r) => setTimeout(r, 25));
    }
    await session.press('Enter');
    await session.waitFor(/Arguments of get-sum \(JSON\)/);
    await session.type('{"a": 1, "b": 2}');
    await session.waitFor(/The question the example asks/);
    await session.type('');
    const screen = await session.waitFor(/replayed it: pass/, 30_000);
    expect(await session.exited()).toBe(0);
    expect(screen).toContain('1 server(s) started: 13 tools');
    const scenario = readFileSync(join(work, 'asked', 'scenarios', 'everything-get-sum-example.yaml'), 'utf8');
    expect(scenario).toContain('arguments: {"a":1,"b":2}');
    expect(scenario).toContain('Please use get-sum with a 1, b 2 and tell me what it says.');
  });

  it.runIf(hasTmux)('writes nothing when the person leaves the questions with Ctrl+C', { timeout: 30_000 }, async () => {
    const session = await initInTerminal('left');
    await session.press('C-c');
    expect(await session.exited()).toBe(130);
    expect(await session.screen()).toContain('init cancelled: nothing was written');
    expect(existsSync(join(work, 'left'))).toBe(false);
  });
});

/** `helpdesk init <folder>` in a terminal, the first server named "everything": it waits at "How is it reached?". */
async function initInTerminal(folder: string): Promise<TmuxSession> {
  const session = await TmuxSession.start({
    command: process.execPath,
    args: [HELPDESK, 'init', folder],
    cwd: work,
    env: childEnv({ HOME: work, TERM: 'xterm-256color' }),
  });
  sessions.push(session);
  await session.waitFor(/Server name/, 15_000);
  await session.type('everything');
  await session.waitFor(/How is it reached/);
  return session;
}
