import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

import { isAlive } from '../../src/shared/processes.ts';

export { isAlive };

/**
 * Pids of MCP server processes (dist/servers/*.mjs or servers/<name>/index.ts) whose environment
 * has HELPDESK_NOW=instant: tests give each run a unique instant to find exactly its servers.
 */
export async function serversStartedWith(instant: string): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid,args']);
  const candidates = stdout.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    return match && /servers\/\w+(?:\.mjs|\/index\.ts)/.test(match[2] ?? '') ? [Number(match[1])] : [];
  });
  const marked: number[] = [];
  for (const pid of candidates) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(`HELPDESK_NOW=${instant}`)) marked.push(pid);
  }
  return marked;
}

/** Whether a process is running: alive and not a zombie waiting to be reaped (Linux /proc). */
export async function isRunning(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The state follows the parenthesised command name: "1234 (node) S ...".
  const state = /\)\s+(\S)/.exec(stat)?.[1];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Pids of a process's children (Linux `ps --ppid`); empty once it has none. */
export async function childPids(pid: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=', '--ppid', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((child) => child > 0);
}
