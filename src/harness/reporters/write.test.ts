import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_ROOT, sampleRecord } from '../../../test/support/run-records.ts';
import { RunRecordSchema, type RunRecord } from '../results.ts';
import { InvalidRunRecordError, writeReports } from './write.ts';

let base: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'reports-'));
});

afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('writes results.json, junit.xml, summary.md and report.html into reports/<run-id>/ and returns their paths', async () => {
    const record = sampleRecord();
    const dir = join(base, 'reports', record.run_id);
    const paths = await writeReports(record, dir, { root: SAMPLE_ROOT });
    expect(paths).toEqual(['results.json', 'junit.xml', 'summary.md', 'report.html'].map((name) => join(dir, name)));
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'summary.md']);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(RunRecordSchema.parse(results)).toEqual(record);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('file="scenarios/changed-question.json"');
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/^## ❌ mcp-helpdesk eval: 2 passed/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('refuses a record that does not match the results.json schema, names the bad fields and writes nothing', async () => {
    const record = sampleRecord();
    const broken = {
      ...record,
      schema_version: 2,
      scenarios: [{ ...record.scenarios[0], summary: { ...record.scenarios[0]?.summary, class: 'mostly_fine' } }],
    } as unknown as RunRecord;
    const dir = join(base, 'broken');
    const error = await writeReports(broken, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRunRecordError);
    expect((error as InvalidRunRecordError).code).toBe('invalid_run_record');
    expect((error as Error).message).toMatch(/^the run record does not match the results.json schema:/);
    expect((error as InvalidRunRecordError).issues).toEqual([
      expect.stringMatching(/^schema_version: /),
      expect.stringMatching(/^scenarios\.0\.summary\.class: .*"stable_pass"/),
    ]);
    expect(existsSync(dir)).toBe(false);
  });

  it('replaces the reports of an earlier write to the same folder', async () => {
    const dir = join(base, 'again');
    await writeReports(sampleRecord(), dir);
    const second = { ...sampleRecord(), run_id: 'second-run' };
    await writeReports(second, dir);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).run_id).toBe('second-run');
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'summary.md']);
  });
});
