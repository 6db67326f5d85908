import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewerRuns } from '../../../test/support/viewer-runs.ts';
import { writeReports } from '../reporters/write.ts';
import type { RunRecord } from '../results/records.ts';
import { readHeadline, readThinRecord, UnreadableResultsError } from './results-file.ts';

let dir: string;
let head: RunRecord;
let path: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'helpdesk-results-file-'));
  head = viewerRuns().head;
  await writeReports(head, dir);
  path = join(dir, 'results.json');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const copy = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('results.json as the viewer reads it', () => {
  it('reads the headline from the run fields and the totals without the scenario lines between them', async () => {
    const lines = readFileSync(path, 'utf8').split('\n');
    const first = lines.findIndex((l) => l.startsWith('    {"id"'));
    lines[first + 1] = '    {this line is not JSON,';
    const broken = copy('broken-scenario.json', lines.join('\n'));
    const headline = await readHeadline(broken);
    expect(headline).toMatchObject({
      run_id: head.run_id,
      started_at: head.started_at,
      mode: 'replay',
      model: 'gpt-4o-mini',
      k: 1,
      totals: head.totals,
      gates: [],
    });
    expect(headline).not.toHaveProperty('scenarios');
    await expect(readThinRecord(broken)).rejects.toThrow(/not valid JSON/);
  });

  it('reads every scenario summary without trials, line by line', async () => {
    const thin = await readThinRecord(path);
    expect(thin.scenarios.map((s) => [s.id, s.summary])).toEqual(head.scenarios.map((s) => [s.id, s.summary]));
    expect(thin.scenarios.every((s) => s.trials.length === 0)).toBe(true);
    expect(thin.totals).toEqual(head.totals);
  });

  it('reads a results.json pretty-printed throughout (another layout) whole', async () => {
    const pretty = copy('pretty.json', JSON.stringify(head, null, 2));
    expect((await readHeadline(pretty)).totals).toEqual(head.totals);
    expect((await readThinRecord(pretty)).scenarios.map((s) => s.id)).toEqual(head.scenarios.map((s) => s.id));
  });

  it('reads a run of no scenarios', async () => {
    const empty = join(dir, 'empty');
    await writeReports({ ...head, scenarios: [], totals: { ...head.totals, scenarios: 0 } }, empty);
    expect((await readThinRecord(join(empty, 'results.json'))).scenarios).toEqual([]);
    expect((await readHeadline(join(empty, 'results.json'))).totals.scenarios).toBe(0);
  });

  it.each([
    ['missing.json', undefined, /^no results\.json$/],
    ['empty.json', '', /not valid JSON/],
    ['cut.json', '{"schema_version": 1,\n  "scenarios": [\n', /not valid JSON/],
    ['version.json', JSON.stringify({ schema_version: 2 }), /schema_version is not 1/],
    ['no-totals.json', JSON.stringify({ schema_version: 1, run_id: 'x' }, null, 2), /results\.json: started_at:/],
  ])('says why %s cannot be read', async (name, text, reason) => {
    const file = text === undefined ? join(dir, name) : copy(name, text);
    const failure = await readHeadline(file).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnreadableResultsError);
    expect((failure as Error).message).toMatch(reason);
  });
});
