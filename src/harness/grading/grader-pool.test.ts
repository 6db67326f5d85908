import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { GraderInput } from './grader.ts';
import { GRADER_IDLE_THREADS, GRADER_MEMORY_MB } from './grader-limits.ts';
import { GraderPool } from './grader-pool.ts';

const dir = mkdtempSync(join(tmpdir(), 'grader-pool-'));
const graders = join(dir, 'graders.mjs');
writeFileSync(
  graders,
  `
import { parentPort } from 'node:worker_threads';
let calls = 0;
/** How many graders this module has run in its thread: a thread that is reused keeps counting. */
export const count = () => ({ pass: true, message: String(++calls) });
export const echo = (run) => ({ pass: run.answer.includes(run.options.word), score: 0.5, message: 'looked for ' + run.options.word + ' in ' + run.scenarioId, extra: 1 });
export const hangs = () => new Promise(() => {});
export const loops = () => { for (;;) {} };
export const exits = () => process.exit(3);
export const throwsLater = () => new Promise(() => setTimeout(() => { throw new Error('thrown after returning a promise'); }, 0));
export const chatty = () => {
  parentPort.postMessage({ id: -1, output: 'not the reply' });
  return { pass: true, message: 'the reply' };
};
export const logs = () => {
  console.log('stdout of the grader');
  console.error('stderr of the grader');
  return { pass: true, message: 'logged' };
};
export const eatsMemory = () => {
  const kept = [];
  for (let i = 0; i < 64; i += 1) kept.push(new Array(1_000_000).fill(i));
  return { pass: true, message: 'kept ' + kept.length * 8 + ' MB' };
};
`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input: GraderInput = {
  scenarioId: 'unit',
  turns: ['q'],
  transcripts: [],
  calls: [],
  results: new Map(),
  answer: 'the answer',
  requests: [],
  options: {},
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GraderPool', () => {
  it("runs a module's export on the input and resolves with its output, checked", async () => {
    const pool = new GraderPool();
    expect(await pool.run(graders, 'echo', { ...input, options: { word: 'answer' } }, 5_000)).toEqual({
      pass: true,
      score: 0.5,
      message: 'looked for answer in unit',
    });
  });

  it('runs the next grader in the thread the last one left idle', async () => {
    const pool = new GraderPool();
    expect(await pool.run(graders, 'count', input, 5_000)).toEqual({ pass: true, message: '1' });
    expect(await pool.run(graders, 'count', input, 5_000)).toEqual({ pass: true, message: '2' });
    expect(await pool.run(graders, 'count', input, 5_000)).toEqual({ pass: true, message: '3' });
  });

  it('keeps an idle thread alive past the timeout of the grader it ran', async () => {
    const pool = new GraderPool();
    expect(await pool.run(graders, 'count', input, 5_000)).toEqual({ pass: true, message: '1' });
    expect(await pool.run(graders, 'count', input, 300)).toEqual({ pass: true, message: '2' });
    await sleep(400);
    expect(await pool.run(graders, 'count', input, 2_000)).toEqual({ pass: true, message: '3' });
  });

  it('stops a grader that does not return in time, says so, and runs the next one in a new thread', async () => {
    const pool = new GraderPool();
    await pool.run(graders, 'count', input, 5_000);
    expect(await pool.run(graders, 'hangs', input, 50)).toBe(
      'the grader failed: it did not return within 50 ms (timeout_ms); it was stopped',
    );
    expect(await pool.run(graders, 'loops', input, 50)).toBe(
      'the grader failed: it did not return within 50 ms (timeout_ms); it was stopped',
    );
    expect(await pool.run(graders, 'count', input, 5_000)).toEqual({ pass: true, message: '1' });
  });

  it('says a grader ended its thread with process.exit, and runs the next one in a new thread', async () => {
    const pool = new GraderPool();
    await pool.run(graders, 'count', input, 5_000);
    expect(await pool.run(graders, 'exits', input, 5_000)).toBe(
      'the grader failed: it ended its thread with process.exit(3) before returning',
    );
    expect(await pool.run(graders, 'count', input, 5_000)).toEqual({ pass: true, message: '1' });
  });

  it('says what a grader threw outside its call, and runs the next one in a new thread', async () => {
    const pool = new GraderPool();
    await pool.run(graders, 'count', input, 5_000);
    expect(await pool.run(graders, 'throwsLater', input, 5_000)).toBe('the grader failed: thrown after returning a promise');
    expect(await pool.run(graders, 'count', input, 5_000)).toEqual({ pass: true, message: '1' });
  });

  it("stops a grader that goes past its thread's memory limit", async () => {
    const pool = new GraderPool();
    expect(await pool.run(graders, 'eatsMemory', input, 10_000)).toBe(
      `the grader failed: it ran out of memory (its limit is ${GRADER_MEMORY_MB} MB); it was stopped`,
    );
  });

  it('answers with the reply to its own request, not another message of the thread', async () => {
    const pool = new GraderPool();
    expect(await pool.run(graders, 'chatty', input, 5_000)).toEqual({ pass: true, message: 'the reply' });
  });

  it(`runs graders at once in threads of their own, and keeps ${GRADER_IDLE_THREADS} of them idle afterwards`, async () => {
    const pool = new GraderPool();
    const wave = () => Promise.all(Array.from({ length: GRADER_IDLE_THREADS + 1 }, () => pool.run(graders, 'count', input, 5_000)));
    expect(await wave()).toEqual(Array.from({ length: GRADER_IDLE_THREADS + 1 }, () => ({ pass: true, message: '1' })));
    const second = await wave();
    expect(second.map((output) => (typeof output === 'string' ? output : output.message)).sort()).toEqual([
      '1',
      ...Array.from({ length: GRADER_IDLE_THREADS }, () => '2'),
    ]);
  });

  it("passes what a grader prints on to the process's own stdout and stderr", async () => {
    const pool = new GraderPool();
    const printed: string[] = [];
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => printed.push(`out:${String(chunk)}`) > 0);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => printed.push(`err:${String(chunk)}`) > 0);
    try {
      expect(await pool.run(graders, 'logs', input, 5_000)).toEqual({ pass: true, message: 'logged' });
      await vi.waitFor(
        () => expect(printed).toEqual(expect.arrayContaining(['out:stdout of the grader\n', 'err:stderr of the grader\n'])),
        { timeout: 1_000 },
      );
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('leaves no listener behind on a thread it reuses', async () => {
    const pool = new GraderPool();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      for (let i = 1; i <= 12; i += 1) expect(await pool.run(graders, 'count', input, 5_000)).toEqual({ pass: true, message: String(i) });
      await sleep(0);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
