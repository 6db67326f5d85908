import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ServerPool } from '../../src/orchestrator/server-pool.ts';
import { isAlive, isRunning } from '../support/processes.ts';
import { ROOT } from '../servers.ts';

const FIXTURES = join(ROOT, 'test', 'fixtures');

/** Whether a process has stopped running within the time (a zombie waiting for init to reap it has). */
async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while ((await isRunning(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return !(await isRunning(pid));
}

describe('server processes and their process groups', () => {
  it('stops the real server behind a wrapper script, not only the wrapper, even when it ignores stdin end and SIGTERM', async () => {
    // `; true` keeps sh from exec-ing node, so node is sh's child, as behind npx or uvx.
    const stubborn = join(FIXTURES, 'servers', 'hangs.ts');
    const pool = await ServerPool.open({
      wrapped: { command: 'sh', args: ['-c', `"${process.execPath}" "${stubborn}" --stubborn; true`], env: {}, disabled: false },
    });
    const wrapperPid = pool.pids()[0] as number;
    const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=', '--ppid', String(wrapperPid)]);
    const serverPid = Number(stdout.trim());
    expect(serverPid).not.toBe(wrapperPid);
    expect(isAlive(serverPid)).toBe(true);
    await pool.close();
    expect(await gone(serverPid, 1_000)).toBe(true);
    expect(await gone(wrapperPid, 1_000)).toBe(true);
  });

  it('keeps servers running when the terminal sends Ctrl+C to the host, and stops them when the host closes', async () => {
    const host = spawn(process.execPath, [join(FIXTURES, 'hosts', 'pool-host.ts')], {
      cwd: ROOT,
      detached: true,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    host.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const exited = new Promise<number | null>((resolve) => host.on('exit', resolve));
    try {
      const deadline = Date.now() + 10_000;
      while (!/server pid \d+/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const serverPid = Number(/server pid (\d+)/.exec(out)?.[1]);
      expect(isAlive(serverPid)).toBe(true);

      // What a terminal does on Ctrl+C: SIGINT to every process of the foreground group.
      process.kill(-(host.pid as number), 'SIGINT');
      await new Promise((r) => setTimeout(r, 300));
      expect(out).toContain('host: SIGINT ignored');
      expect(isAlive(serverPid)).toBe(true);

      host.stdin.end();
      expect(await exited).toBe(0);
      expect(await gone(serverPid, 1_000)).toBe(true);
    } finally {
      if (host.exitCode === null) host.kill('SIGKILL');
    }
  });

  it('kills the servers of a host that dies of an uncaught error without closing its pool', async () => {
    const host = spawn(process.execPath, [join(FIXTURES, 'hosts', 'crashing-host.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    host.stdout.on('data', (chunk) => {
      out += chunk;
    });
    host.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const code = await new Promise<number | null>((resolve) => host.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('the host crashed');
    const serverPid = Number(/server pid (\d+)/.exec(out)?.[1]);
    expect(serverPid).toBeGreaterThan(0);
    expect(await gone(serverPid, 1_000)).toBe(true);
  });
});
