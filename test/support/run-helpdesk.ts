import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../servers.ts';
import { childEnv } from './child-env.ts';

/** The command as a clone runs it (`npm run helpdesk`): the Node version check, then the TypeScript source. */
export const HELPDESK = join(ROOT, 'src', 'cli', 'helpdesk.mjs');

export interface HelpdeskRun {
  /** The exit code; null when the run was killed at its limit. */
  readonly code: number | null;
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
}

/** Runs `helpdesk ...args` as a child process to its end, with stdin closed, keeping what it printed. */
export function runHelpdesk(
  args: readonly string[],
  { cwd, env = childEnv(), limitMs = 60_000 }: HelpdeskRunOptions,
): Promise<HelpdeskRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [HELPDESK, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(limit);
      done({ code, stdout, stderr, ms: performance.now() - started });
    }),
  );
}
