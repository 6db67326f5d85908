import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../servers.ts';
import { childEnv } from '../support/child-env.ts';

// `helpdesk eval --watch` in a project of a third-party server (set up by `helpdesk init`), as a
// person uses it: edits to a scenario, a cassette, the prompt and helpdesk's own code, then Ctrl+C.

const HELPDESK = resolve(ROOT, 'src', 'cli', 'helpdesk.mjs');
const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const ID = 'everything-echo-example';

let work: string;
let project: string;
let watcher: ChildProcess | undefined;
let out = '';
let exited: Promise<number | null>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'helpdesk-watch-'));
  project = join(work, 'evals');
  const init = await promisify(execFile)(process.execPath, [HELPDESK, 'init', project, '--server', `everything=node ${EVERYTHING} stdio`], {
    cwd: work,
    env: childEnv(),
  });
  expect(init.stdout).toContain('replayed it: pass');
}, 60_000);

afterAll(() => {
  watcher?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Output after `from`, once `pattern` appears in it. */
async function waitFor(pattern: RegExp, from: number, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const text = out.slice(from);
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${pattern}; output since the change:\n${out.slice(from)}`);
}

/** Changes a file, then returns the output of the pass it causes (up to "watching for changes"). */
async function change(edit: () => void): Promise<string> {
  const from = out.length;
  edit();
  return waitFor(/watching for changes/, from);
}

/** server-everything processes of this test: they run in the folder init was run from (its --server line's folder). */
async function serversOfProject(): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-ww', '-eo', 'pid,args']);
  return stdout.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(.*server-everything.*)$/.exec(line);
    if (!match) return [];
    try {
      return readlinkSync(`/proc/${match[1]}/cwd`) === work ? [Number(match[1])] : [];
    } catch {
      return [];
    }
  });
}

describe('helpdesk eval --watch', () => {
  it('runs what each change touches, keeps watching through a broken file, and stops on Ctrl+C', { timeout: 120_000 }, async () => {
    watcher = spawn(process.execPath, [HELPDESK, 'eval', '--watch'], { cwd: project, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    watcher.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    watcher.stderr?.on('data', (chunk) => {
      out += chunk;
    });
    exited = new Promise((done) => watcher?.on('close', (code) => done(code)));
    const first = await waitFor(/watching for changes/, 0);
    expect(first).toContain('replay: 1 passed, 0 failed');
    expect(first).toContain('reports/watch/results.json');

    // A new scenario runs alone (and says how to get its cassette).
    const scenarioFile = join(project, 'scenarios', `${ID}.yaml`);
    const original = readFileSync(scenarioFile, 'utf8');
    const added = await change(() => writeFileSync(join(project, 'scenarios', 'second.yaml'), original.replace(`id: ${ID}`, 'id: second')));
    expect(added).toMatch(/changed: scenarios\/second\.yaml/);
    expect(added).toMatch(/\[1\/1\] FAIL second/);
    expect(added).toContain('[missing_cassette] no cassette at');
    expect(added).toContain('helpdesk eval --author --id second');
    expect(added).not.toContain(ID);

    // An edited scenario runs alone, and fails on what the edit changed.
    const edited = await change(() =>
      writeFileSync(scenarioFile, original.replace('contains: ["example message"]', 'contains: ["something else"]')),
    );
    expect(edited).toMatch(new RegExp(`\\[1/1\\] FAIL ${ID}`));
    expect(edited).toContain('expected to contain "something else"');
    expect(edited).not.toContain('second');

    // A typo is a failed scenario with its place; the watcher stays.
    const broken = await change(() => writeFileSync(scenarioFile, original.replace('turns:', 'turnz:')));
    expect(broken).toContain('invalid scenario file: line 9, column 1: (top level): Unrecognized key: "turnz"');
    expect(broken).toContain('watching for changes');

    // Its cassette changed: that scenario runs.
    const restored = await change(() => writeFileSync(scenarioFile, original));
    expect(restored).toMatch(new RegExp(`\\[1/1\\] pass ${ID}`));
    const cassette = join(project, 'recordings', `${ID}.json`);
    const recorded = await change(() => utimesSync(cassette, new Date(), new Date()));
    expect(recorded).toMatch(/changed: recordings\/everything-echo-example\.json/);
    expect(recorded).toMatch(new RegExp(`\\[1/1\\] pass ${ID}`));

    // The prompt changed: everything runs on fresh servers, and replay sees the request drift.
    const before = await serversOfProject();
    expect(before).toHaveLength(1);
    const prompted = await change(() =>
      writeFileSync(join(project, 'prompts', 'system.md'), `${readFileSync(join(project, 'prompts', 'system.md'), 'utf8')}Be brief.\n`),
    );
    expect(prompted).toMatch(/\[2\/2\]/);
    expect(prompted).toContain('Be brief.');
    const after = await serversOfProject();
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);

    // helpdesk's own code changed: a new eval process runs everything.
    const restarted = await change(() => utimesSync(join(ROOT, 'src', 'orchestrator', 'prompt.ts'), new Date(), new Date()));
    expect(restarted).toContain("helpdesk's own code changed: starting the eval process again");
    expect(restarted).toMatch(/\[2\/2\]/);

    watcher.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await serversOfProject()).toEqual([]);
  });

  it('stops its eval process and servers at once, writing nothing more, when the watcher is killed (SIGTERM, SIGKILL)', {
    timeout: 60_000,
  }, async () => {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const reports = join(project, 'reports', 'watch');
      rmSync(reports, { recursive: true, force: true });
      const child = spawn(process.execPath, [HELPDESK, 'eval', '--watch'], {
        cwd: project,
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const gone = new Promise((resolve) => child.on('exit', resolve));
      // Killed while the eval process runs its first pass (its servers starting or the scenario running).
      let evalPid: number | undefined;
      const deadline = Date.now() + 10_000;
      while (evalPid === undefined && Date.now() < deadline) {
        const { stdout } = await promisify(execFile)('ps', ['-ww', '-eo', 'pid,ppid,args']);
        evalPid = stdout
          .split('\n')
          .map((line) => /^\s*(\d+)\s+(\d+)\s+.*--watch-child/.exec(line))
          .find((m) => m && Number(m[2]) === child.pid)
          ?.slice(1, 2)
          .map(Number)[0];
        if (evalPid === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      expect(evalPid, 'the eval process started').toBeDefined();
      child.kill(signal);
      await gone;
      const killedAt = Date.now();
      // Ended (a zombie whose parent, the watcher, is gone counts as ended), servers too: polled
      // rather than looked at once after a fixed wait, which a loaded machine overran.
      const running = async () =>
        (await promisify(execFile)('ps', ['-ww', '-eo', 'pid,args'])).stdout
          .split('\n')
          .filter((line) => line.trim().startsWith(`${evalPid} `) && !line.includes('<defunct>'));
      for (
        const until = Date.now() + 5_000;
        Date.now() < until && ((await running()).length > 0 || (await serversOfProject()).length > 0);
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await running(), `${signal}: eval process ${evalPid}`).toEqual([]);
      expect(await serversOfProject(), signal).toEqual([]);
      // Nothing written by a process whose watcher is gone.
      let written: number | undefined;
      try {
        written = statSync(join(reports, 'results.json')).mtimeMs;
      } catch {
        written = undefined;
      }
      expect(written === undefined || written < killedAt, `${signal}: reports/watch written after the watcher was killed`).toBe(true);
    }
  });

  it('refuses a mode it cannot repeat offline', async () => {
    const run = await promisify(execFile)(process.execPath, [HELPDESK, 'eval', '--watch', '--record'], {
      cwd: project,
      env: childEnv(),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(run).toMatchObject({
      code: 2,
      stderr:
        'helpdesk: --watch replays the suite after each change; it cannot be combined with --record, --live, --author, --rebase, --fault-matrix or --list\n',
    });
  });
});
