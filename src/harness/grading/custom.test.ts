import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { customCheckName, gradeCustom } from './custom.ts';
import { GRADER_MODULE_MAX_BYTES } from './grader-limits.ts';

const dir = mkdtempSync(join(tmpdir(), 'custom-graders-'));
const scenarioFile = join(dir, 'scenario.json');
writeFileSync(
  join(dir, 'graders.ts'),
  `
export default (run: { answer: string; options: Record<string, unknown> }) => ({ pass: run.answer.includes(String(run.options.word)), score: 0.5, message: 'looked for ' + String(run.options.word) });
export const throws = () => { throw new Error('grader bug'); };
export const shapeless = () => 42;
export const badScore = () => ({ pass: true, score: 7, message: '' });
export const notAFunction = 1;
export const noPass = () => ({ pass: 'yes', message: 'm' });
export const silentPass = async () => ({ pass: true, message: 7 });
export const silentFail = () => ({ pass: false, score: 0 });
export const edges = (run: { options: Record<string, unknown> }) => ({ pass: true, score: run.options.score, message: 'edge' });
`,
);
writeFileSync(join(dir, 'empty.mjs'), '');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = {
  scenarioId: 's',
  turns: ['q'],
  transcripts: [],
  calls: [],
  results: new Map<string, string>(),
  answer: 'the answer',
  requests: [],
};

describe('custom graders', () => {
  it('runs a module relative to the scenario file with its options, keeping score and weight', async () => {
    const [result] = await gradeCustom(
      [{ module: 'graders.ts', export: 'default', options: { word: 'answer' }, weight: 2 }],
      scenarioFile,
      input,
    );
    expect(result).toEqual({ name: 'custom:graders', pass: true, score: 0.5, weight: 2, reason: 'looked for answer' });
  });

  it('fails with the reason when a grader is missing, throws, or returns the wrong shape, and still runs the rest', async () => {
    const results = await gradeCustom(
      [
        { module: 'missing.ts', export: 'default' },
        { module: 'graders.ts', export: 'nope' },
        { module: 'graders.ts', export: 'notAFunction' },
        { module: 'graders.ts', export: 'throws' },
        { module: 'graders.ts', export: 'shapeless' },
        { module: 'graders.ts', export: 'badScore' },
        { module: 'graders.ts', export: 'default', options: { word: 'answer' } },
      ],
      scenarioFile,
      input,
    );
    expect(results.map((r) => r.pass)).toEqual([false, false, false, false, false, false, true]);
    expect(results[0]?.reason).toMatch(/^the grader failed: cannot load grader .*missing\.ts/);
    expect(results[1]?.reason).toMatch(/graders\.ts has no function export "nope" \(exports: /);
    expect(results[2]?.reason).toContain('no function export "notAFunction"');
    expect(results[3]?.reason).toBe('the grader failed: grader bug');
    expect(results[4]?.reason).toBe('the grader returned 42, not { pass, message }');
    expect(results[5]?.reason).toBe("the grader's score 7 is not a number from 0 to 1");
  });

  it('names checks custom:<file>, custom:<file>#<export>, or the name given', () => {
    expect(customCheckName({ module: 'graders/concise.ts', export: 'default' })).toBe('custom:concise');
    expect(customCheckName({ module: 'graders/concise.ts', export: 'citesQueriedIds' })).toBe('custom:concise#citesQueriedIds');
    expect(customCheckName({ module: 'x.ts', export: 'default', name: 'tone' })).toBe('custom:tone');
  });

  it("reads a grader's output strictly: a boolean pass, a score from 0 to 1 inclusive, a message or a default", async () => {
    const results = await gradeCustom(
      [
        { module: 'graders.ts', export: 'noPass' },
        { module: 'graders.ts', export: 'silentPass' },
        { module: 'graders.ts', export: 'silentFail' },
        { module: 'graders.ts', export: 'edges', options: { score: 0 } },
        { module: 'graders.ts', export: 'edges', options: { score: 1 } },
        { module: 'graders.ts', export: 'edges', options: { score: -0.1 } },
        { module: 'graders.ts', export: 'edges', options: { score: '0.5' } },
        { module: 'empty.mjs', export: 'default' },
      ],
      scenarioFile,
      input,
    );
    expect(results.map(({ name, pass, reason, score }) => ({ name, pass, reason, score }))).toEqual([
      { name: 'custom:graders#noPass', pass: false, reason: 'the grader returned no boolean "pass"', score: 0 },
      { name: 'custom:graders#silentPass', pass: true, reason: 'passed', score: undefined },
      { name: 'custom:graders#silentFail', pass: false, reason: 'failed', score: 0 },
      { name: 'custom:graders#edges', pass: true, reason: 'edge', score: 0 },
      { name: 'custom:graders#edges', pass: true, reason: 'edge', score: 1 },
      { name: 'custom:graders#edges', pass: false, reason: "the grader's score -0.1 is not a number from 0 to 1", score: 0 },
      { name: 'custom:graders#edges', pass: false, reason: 'the grader\'s score "0.5" is not a number from 0 to 1', score: 0 },
      {
        name: 'custom:empty',
        pass: false,
        reason: expect.stringMatching(/empty\.mjs has no function export "default" \(exports: none\)$/),
        score: 0,
      },
    ]);
    expect(results.every((r) => !('weight' in r))).toBe(true);
    expect(results[1]).not.toHaveProperty('score');
  });

  it("cuts the folder and the script extension from a module's name, and only those", () => {
    expect(customCheckName({ module: 'a\\b\\tone.mjs', export: 'default' })).toBe('custom:tone');
    expect(customCheckName({ module: 'checks/tone.cts', export: 'default' })).toBe('custom:tone');
    expect(customCheckName({ module: 'checks/tone.ts.bak', export: 'default' })).toBe('custom:tone.ts.bak');
    expect(customCheckName({ module: 'tone.xjs', export: 'default' })).toBe('custom:tone.xjs');
  });
});

describe('custom graders: what is not a grader module', () => {
  const reasonFor = async (module: string) => {
    const [result] = await gradeCustom([{ module, export: 'default' }], scenarioFile, input);
    expect(result).toMatchObject({ pass: false, score: 0 });
    return result?.reason;
  };

  it('refuses a directory, a FIFO, a character device and a socket before any thread reads them', async () => {
    mkdirSync(join(dir, 'folder.mjs'));
    expect(await reasonFor('folder.mjs')).toBe(
      `the grader failed: cannot load grader ${join(dir, 'folder.mjs')}: not a regular file (a directory)`,
    );
    execFileSync('mkfifo', [join(dir, 'pipe.mjs')]);
    expect(await reasonFor('pipe.mjs')).toBe(`the grader failed: cannot load grader ${join(dir, 'pipe.mjs')}: not a regular file (a FIFO)`);
    expect(await reasonFor('/dev/null')).toBe('the grader failed: cannot load grader /dev/null: not a regular file (a character device)');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'socket.mjs'), resolve));
    try {
      expect(await reasonFor('socket.mjs')).toBe(
        `the grader failed: cannot load grader ${join(dir, 'socket.mjs')}: not a regular file (a socket)`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a module past the size limit, saying its size, and loads one of exactly the limit', async () => {
    const grader = "export default () => ({ pass: true, message: 'big but allowed' });\n";
    writeFileSync(join(dir, 'limit.mjs'), grader + '/'.repeat(GRADER_MODULE_MAX_BYTES - grader.length));
    expect(await gradeCustom([{ module: 'limit.mjs', export: 'default' }], scenarioFile, input)).toEqual([
      { name: 'custom:limit', pass: true, reason: 'big but allowed' },
    ]);
    writeFileSync(join(dir, 'huge.mjs'), '/'.repeat(5.3 * 1024 * 1024));
    expect(await reasonFor('huge.mjs')).toBe(
      `the grader failed: cannot load grader ${join(dir, 'huge.mjs')}: it is 5.3 MB; a grader module may be at most 4 MB`,
    );
  });

  it('says why a module path cannot be read at all', async () => {
    expect(await reasonFor('missing.mjs')).toBe(
      `the grader failed: cannot load grader ${join(dir, 'missing.mjs')}: ENOENT: no such file or directory, stat '${join(dir, 'missing.mjs')}'`,
    );
  });
});
