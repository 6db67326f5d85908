import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../servers.ts';
import { type HelpdeskRun, runHelpdesk } from '../support/run-helpdesk.ts';

// A custom grader is a team's own code run inside eval: whatever it does — exit the process, never
// settle, loop, read a device or a pipe as its module, eat memory — it becomes a failed check of
// its own scenario within a bounded time, and the run goes on to its report.

const work = mkdtempSync(join(tmpdir(), 'helpdesk-graders-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const GRADERS = `
export const exits = () => { process.exit(0); };
export const neverSettles = () => new Promise(() => {});
export const loops = () => { for (;;) {} };
export const hogs = () => { const kept = []; for (;;) kept.push(new Array(1_000_000).fill(kept.length)); };
export const fine = ({ answer }) => ({ pass: answer.includes('TKT-1001'), message: 'cites TKT-1001' });
`;

/** A copy of the worked example with one custom grader. */
function scenario(dir: string, id: string, custom: Record<string, unknown>): void {
  const base = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'critical-tickets-cust-001.json'), 'utf8')) as Record<string, unknown> & {
    expect: Record<string, unknown>;
  };
  writeFileSync(join(dir, `${id}.json`), JSON.stringify({ ...base, $schema: undefined, id, expect: { ...base.expect, custom: [custom] } }));
}

function evalRun(args: readonly string[], timeoutMs: number): Promise<HelpdeskRun> {
  return runHelpdesk(['eval', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, limitMs: timeoutMs });
}

/** A suite of seven copies of the worked example, each with one grader: six misbehave, one is fine. */
function suite(name: string): string {
  const scenarios = join(work, name);
  mkdirSync(scenarios);
  writeFileSync(join(scenarios, 'graders.mjs'), GRADERS);
  execFileSync('mkfifo', [join(scenarios, 'pipe.mjs')]);
  scenario(scenarios, 'g-exits', { module: 'graders.mjs', export: 'exits' });
  scenario(scenarios, 'g-never-settles', { module: 'graders.mjs', export: 'neverSettles', timeout_ms: 1000 });
  scenario(scenarios, 'g-loops', { module: 'graders.mjs', export: 'loops', timeout_ms: 1000 });
  scenario(scenarios, 'g-hogs', { module: 'graders.mjs', export: 'hogs' });
  scenario(scenarios, 'g-dev-zero', { module: '/dev/zero' });
  scenario(scenarios, 'g-pipe', { module: 'pipe.mjs' });
  scenario(scenarios, 'g-fine', { module: 'graders.mjs', export: 'fine' });
  return scenarios;
}

/** Runs the suite authored from its scripts, and checks each grader's check and that the run reported every scenario. */
async function runAndCheck(name: string, extra: readonly string[]): Promise<void> {
  const scenarios = suite(name);
  const reports = join(work, `${name}-reports`);
  const run = await evalRun(
    ['--author', '--scenarios', scenarios, '--recordings', join(work, `${name}-recordings`), '--report-dir', reports, ...extra],
    90_000,
  );
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stdout).toMatch(/^author: 1 passed, 6 failed/m);
  const record = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as {
    scenarios: { id: string; trials: { checks: { name: string; pass: boolean; reason: string }[] }[] }[];
  };
  const custom = Object.fromEntries(record.scenarios.map((s) => [s.id, s.trials[0]?.checks.find((c) => c.name.startsWith('custom:'))]));
  expect(custom['g-fine']).toMatchObject({ pass: true, reason: 'cites TKT-1001' });
  expect(custom['g-exits']).toMatchObject({
    pass: false,
    reason: 'the grader failed: it ended its thread with process.exit(0) before returning',
  });
  expect(custom['g-never-settles']).toMatchObject({
    pass: false,
    reason: 'the grader failed: it did not return within 1000 ms (timeout_ms); it was stopped',
  });
  expect(custom['g-loops']).toMatchObject({
    pass: false,
    reason: 'the grader failed: it did not return within 1000 ms (timeout_ms); it was stopped',
  });
  expect(custom['g-hogs']?.pass).toBe(false);
  expect(custom['g-hogs']?.reason).toMatch(/^the grader failed: it ran out of memory \(its limit is \d+ MB\)/);
  expect(custom['g-dev-zero']).toMatchObject({
    pass: false,
    reason: 'the grader failed: cannot load grader /dev/zero: not a regular file (a character device)',
  });
  expect(custom['g-pipe']).toMatchObject({
    pass: false,
    reason: `the grader failed: cannot load grader ${join(scenarios, 'pipe.mjs')}: not a regular file (a FIFO)`,
  });
  expect(run.ms).toBeLessThan(60_000);
}

describe('custom graders that misbehave', () => {
  it('fails only the check of a grader that exits, hangs, loops, eats memory or names a device or a pipe as its module, and reports the whole run', {
    timeout: 120_000,
  }, async () => {
    await runAndCheck('main-thread', []);
  });

  it("does the same in eval's worker threads", { timeout: 120_000 }, async () => {
    await runAndCheck('worker-threads', ['--workers', '2']);
  });
});
