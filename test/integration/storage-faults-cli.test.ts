import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canMount, smallDisk } from '../support/tmpfs.ts';
import { ROOT } from '../servers.ts';
import { runHelpdesk } from '../support/run-helpdesk.ts';

// What eval does when a flag is wrong or a folder cannot take what it writes: refuse before the
// first scenario where it can know, keep every result it has where it cannot, and never leave half
// a file. The full and read-only disks are small tmpfs mounts (root only; skipped elsewhere).

const HELPDESK = join(ROOT, 'src', 'cli', 'helpdesk.mjs');
const work = mkdtempSync(join(tmpdir(), 'helpdesk-storage-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const mountable = canMount();

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function evalRun(args: readonly string[], delayMs = 0): Promise<Run> {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return runHelpdesk(['eval', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, limitMs: 120_000 });
}

/** Appends to a file until the disk is full: no new cassette fits beside the old ones. */
function fillUp(path: string): void {
  const page = Buffer.alloc(4096);
  try {
    for (let i = 0; i < 100_000; i += 1) appendFileSync(path, page);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
}

/** Temporary files left beside what was written (a write that stopped half way). */
function leftovers(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((name) => name.endsWith('.tmp'))
    : [];
}

describe('eval with bad flags and unwritable folders', () => {
  it('refuses a wrong --min-pass-rate, --max-flaky or --baseline before the first scenario, naming the flag, and makes no report folder', {
    timeout: 60_000,
  }, async () => {
    const cases: [string[], RegExp][] = [
      [['--min-pass-rate', '7'], /^helpdesk: --min-pass-rate must be a number from 0 to 1, got "7"$/m],
      [['--min-pass-rate', 'abc'], /^helpdesk: --min-pass-rate must be a number from 0 to 1, got "abc"$/m],
      [['--max-flaky=-1'], /^helpdesk: --max-flaky must be a whole number of at least 0, got "-1"$/m],
      [['--baseline', join(work, 'nonexistent')], /^helpdesk: --baseline: no baseline results at .*nonexistent/m],
    ];
    for (const [flags, message] of cases) {
      const reports = join(work, `flags-${flags[0]?.replace(/\W/g, '')}`);
      const run = await evalRun([...flags, '--report-dir', reports]);
      expect(run.code, flags.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr, 'no scenario ran').not.toMatch(/\[\d+\/\d+\]/);
      expect(existsSync(reports), `${reports} was made`).toBe(false);
    }
  });

  it('refuses a second eval into the reports folder another eval is writing, before it runs anything, and the first one completes', {
    timeout: 60_000,
  }, async () => {
    const reports = join(work, 'shared');
    // The first run is stopped (SIGSTOP) once it has started its scenarios, so the second surely meets it mid-run.
    const first = spawn(process.execPath, [HELPDESK, 'eval', '--tag', 'intent', '--report-dir', reports], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let firstOut = '';
    let firstErr = '';
    first.stdout.on('data', (chunk) => {
      firstOut += chunk;
    });
    first.stderr.on('data', (chunk) => {
      firstErr += chunk;
    });
    const firstExit = new Promise<number | null>((resolve) => first.on('exit', resolve));
    const deadline = Date.now() + 30_000;
    while (!/\[1\/\d+\]/.test(firstErr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    first.kill('SIGSTOP');
    let second: Run;
    try {
      second = await evalRun(['--tag', 'errors', '--report-dir', reports]);
    } finally {
      first.kill('SIGCONT');
    }
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(
        `^helpdesk: the reports folder ${reports} is in use by another helpdesk eval \\(pid ${first.pid}\\): give each run its own --report-dir, nothing was run$`,
        'm',
      ),
    );
    expect(second.stderr).not.toMatch(/\[\d+\/\d+\]/);
    // Completed: its verdicts and reports, whatever they say (a latency budget may fail on a loaded machine).
    expect([0, 1], firstOut + firstErr).toContain(await firstExit);
    const record = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as { scenarios: { tags: string[] }[] };
    expect(record.scenarios.length).toBeGreaterThan(0);
    expect(record.scenarios.every((s) => s.tags.includes('intent'))).toBe(true);
    expect(readdirSync(reports).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'summary.md']);
  });

  it.skipIf(!mountable)(
    'runs every scenario on a full reports disk, writes the report files that fit whole, and ends with one line naming the folder (exit 2)',
    { timeout: 60_000 },
    async () => {
      const disk = smallDisk('200k');
      if (!disk) return;
      try {
        const reports = join(disk.path, 'run');
        const run = await evalRun(['--report-dir', reports]);
        expect(run.code).toBe(2);
        expect(run.stdout).toMatch(/^replay: \d+ passed, \d+ failed \(86 scenarios/m);
        expect(run.stderr).toContain(`warning: could not write ${reports}/results.jsonl (ENOSPC`);
        const last = run.stderr.trim().split('\n').at(-1) ?? '';
        expect(last).toMatch(
          new RegExp(
            `^helpdesk: could not write results\\.json, report\\.html in ${reports}: ENOSPC: no space left on device, write; written whole: .*junit\\.xml, .*summary\\.md; the results are in the table above$`,
          ),
        );
        expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
        expect(readdirSync(reports).sort()).toEqual(['junit.xml', 'summary.md']);
        expect(readFileSync(join(reports, 'summary.md'), 'utf8')).toContain('86');
        expect(leftovers(disk.path)).toEqual([]);
      } finally {
        disk.dispose();
      }
    },
  );

  it.skipIf(!mountable)(
    'refuses a read-only reports folder, or a read-only recordings folder when it would write cassettes, before anything runs',
    { timeout: 60_000 },
    async () => {
      const disk = smallDisk('1m');
      if (!disk) return;
      try {
        mkdirSync(join(disk.path, 'recordings'));
        disk.remount(true);
        const reports = await evalRun(['--report-dir', join(disk.path, 'reports')]);
        expect(reports.code).toBe(2);
        expect(reports.stderr.trim()).toBe(
          `helpdesk: cannot write the reports folder ${disk.path}/reports (EROFS at ${disk.path}): choose another folder or free it, nothing was run`,
        );
        const recordings = await evalRun([
          '--author',
          '--id',
          'critical-tickets-cust-001',
          '--recordings',
          join(disk.path, 'recordings'),
          '--report-dir',
          join(work, 'ro-rec'),
        ]);
        expect(recordings.code).toBe(2);
        expect(recordings.stderr.trim()).toBe(
          `helpdesk: cannot write the recordings folder ${disk.path}/recordings (EROFS at ${disk.path}/recordings): choose another folder or free it, nothing was run`,
        );
        // Replaying only reads cassettes: a read-only recordings folder is fine.
        const replay = await evalRun([
          '--id',
          'critical-tickets-cust-001',
          '--recordings',
          join(ROOT, 'recordings'),
          '--report-dir',
          join(work, 'ro-replay'),
        ]);
        expect(replay.code, replay.stderr).toBe(0);
      } finally {
        disk.dispose();
      }
    },
  );

  it.skipIf(!mountable)(
    'keeps every existing cassette whole when recording onto a full disk, and fails only the scenarios whose cassette did not fit',
    { timeout: 60_000 },
    async () => {
      const disk = smallDisk('1m');
      if (!disk) return;
      try {
        const ids = ['critical-tickets-cust-001', 'customers-status-check', 'err-ticket-not-found'];
        const recordings = join(disk.path, 'recordings');
        mkdirSync(recordings);
        for (const id of ids) cpSync(join(ROOT, 'recordings', `${id}.json`), join(recordings, `${id}.json`));
        const before = ids.map((id) => readFileSync(join(recordings, `${id}.json`), 'utf8'));
        fillUp(join(disk.path, 'filler'));
        const run = await evalRun([
          '--author',
          ...ids.flatMap((id) => ['--id', id]),
          '--recordings',
          recordings,
          '--report-dir',
          join(work, 'full-rec'),
        ]);
        expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
        expect(run.code).toBe(1);
        const after = ids.map((id) => readFileSync(join(recordings, `${id}.json`), 'utf8'));
        for (const text of after) expect(() => JSON.parse(text)).not.toThrow();
        expect(after.map((text, i) => text === before[i] || text.includes('"source": "authored"'))).toEqual([true, true, true]);
        expect(run.stdout).toMatch(/ENOSPC/);
        expect(leftovers(disk.path)).toEqual([]);
      } finally {
        disk.dispose();
      }
    },
  );
});
