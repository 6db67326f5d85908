import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../servers.ts';
import { childEnv } from './child-env.ts';

/** The command as a clone runs it (`npm run helpdesk`): the Node version check, then the TypeScript source. */
export const HELPDESK = join(ROOT, 'src', 'cli', 'helpdesk.mjs');

export interface HelpdeskRun {
  /** The exit code; null when the run was killed at its limit. */
  readonly code: number | null;
  /** The signal that ended it, if one did. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from the start to the close of its output. */
  readonly ms: number;
}

export interface HelpdeskRunOptions {
  readonly cwd: string;
  /** The whole environment of the run; `childEnv()` (PATH and the compile cache only) unless given. */
  readonly env?: Record<string, string | undefined>;
  /** Killed (SIGKILL) after this long, so a hung run fails its test instead of the whole file's. */
  readonly limitMs?: number;
  /** The script run instead of the default entry (the TypeScript entry, say, without the version check). */
  readonly entry?: string;
  /** Called once the child is running (to interrupt it, say); the run is killed if it throws. */
  readonly during?: (child: ChildProcess) => Promise<void>;
}

/** Keeps everything a child process writes to its stdout and stderr (both piped), to read at any time. */
export function collectOutput(child: ChildProcess): { stdout(): string; stderr(): string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return { stdout: () => stdout, stderr: () => stderr };
}

/** Runs `helpdesk ...args` as a child process to its end, with stdin closed, keeping what it printed. */
export async function runHelpdesk(
  args: readonly string[],
  { cwd, env = childEnv(), limitMs = 60_000, entry = HELPDESK, during }: HelpdeskRunOptions,
): Promise<HelpdeskRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [entry, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collectOutput(child);
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  try {
    await during?.(child);
    const { code, signal } = await closed;
    return { code, signal, stdout: output.stdout(), stderr: output.stderr(), ms: performance.now() - started };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(limit);
  }
}

/**
 * `helpdesk eval` on the suite of a test's folder (`dir/scenarios`, `dir/recordings`), run in that
 * folder with model retries off; its reports go to `dir/reports-default` unless `args` name another
 * (the last --report-dir wins).
 */
export function evalInFolder(dir: string, args: readonly string[], env: Record<string, string> = {}): Promise<HelpdeskRun> {
  const where = [
    '--scenarios',
    join(dir, 'scenarios'),
    '--recordings',
    join(dir, 'recordings'),
    '--report-dir',
    join(dir, 'reports-default'),
  ];
  return runHelpdesk(['eval', ...where, ...args], { cwd: dir, env: childEnv({ HELPDESK_MODEL_RETRIES: '0', ...env }), limitMs: 30_000 });
}
