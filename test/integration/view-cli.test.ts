import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../servers.ts';
import { isRunning } from '../support/processes.ts';
import { BASE_RUN, HEAD_RUN, writeViewerRuns } from '../support/viewer-runs.ts';
import { childEnv } from '../support/child-env.ts';

const HELPDESK = resolve(ROOT, 'src', 'cli', 'helpdesk.mjs');
/** Longest the command may take to print its URL, or to exit once asked. */
const LIMIT_MS = 10_000;

let parent: string;
const children = new Set<ChildProcess>();

interface Started {
  readonly child: ChildProcess;
  /** The first line the command printed. */
  readonly line: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Spawns `node src/cli/helpdesk.mjs ...args` and resolves once it printed its first line (or exited). */
function helpdesk(args: string[], cwd = parent): Promise<Started> {
  const child = spawn(process.execPath, [HELPDESK, ...args], { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) => {
    child.once('exit', (code, signal) => done({ code, signal, stderr }));
  });
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no line within ${LIMIT_MS} ms; stderr: ${stderr}`)), LIMIT_MS);
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      done({ child, line: stdout.split('\n')[0] ?? '', exit });
    });
    void exit.then(() => {
      clearTimeout(timer);
      done({ child, line: stdout.split('\n')[0] ?? '', exit });
    });
  });
}

function portClosed(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(true));
  });
}

const within = <T>(promise: Promise<T>, what: string) =>
  Promise.race([promise, new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`${what} took over ${LIMIT_MS} ms`)), LIMIT_MS))]);

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'helpdesk-view-cli-'));
  await writeViewerRuns(join(parent, 'my-reports'));
});
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('helpdesk view as a child process', () => {
  it('serves the folder given relative to the working directory, and exits 130 on Ctrl+C with the port closed', async () => {
    const { child, line, exit } = await helpdesk(['view', 'my-reports', '--port', '0']);
    const match = /^Serving (.+) at http:\/\/127\.0\.0\.1:(\d+)\/$/.exec(line);
    expect(match?.[1], line).toBe(join(parent, 'my-reports'));
    const port = Number(match?.[2]);
    expect(port).toBeGreaterThan(0);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`data-run="${HEAD_RUN}"`);
    expect(html).toContain(`data-run="${BASE_RUN}"`);
    // A connection kept alive by the fetch above must not hold the command open.
    child.kill('SIGINT');
    const ended = await within(exit, 'exiting after SIGINT');
    expect(ended).toMatchObject({ code: 130, signal: null });
    expect(ended.stderr).toBe('');
    expect(await portClosed(port)).toBe(true);
    expect(await isRunning(child.pid ?? 0)).toBe(false);
  });

  it('exits 2 naming the folder when there is no such folder', async () => {
    const { line, exit } = await helpdesk(['view', '/no/such/dir']);
    const ended = await within(exit, 'exiting');
    expect(line).toBe('');
    expect(ended.code).toBe(2);
    expect(ended.stderr).toBe('helpdesk: view: no reports folder at /no/such/dir\n');
  });

  it('exits 2 on a port that is not one', async () => {
    const { exit } = await helpdesk(['view', 'my-reports', '--port', '70000']);
    const ended = await within(exit, 'exiting');
    expect(ended.code).toBe(2);
    expect(ended.stderr).toContain('--port must be a whole number from 0 to 65535, got "70000"');
  });

  it('prints its help with --help and exits 0, and is listed in the commands of helpdesk --help', async () => {
    const help = await helpdesk(['view', '--help']);
    expect(help.line).toBe('Usage: helpdesk view [reports-dir] [--port N]');
    expect((await within(help.exit, 'help')).code).toBe(0);
    const main = spawn(process.execPath, [HELPDESK, '--help'], { cwd: parent, stdio: ['ignore', 'pipe', 'ignore'] });
    children.add(main);
    let text = '';
    main.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
    });
    await within(new Promise((done) => main.once('exit', done)), 'helpdesk --help');
    expect(text).toMatch(/^ {2}view \[dir\] +browse the eval reports/m);
  });
});
