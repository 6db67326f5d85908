import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_ROOT, sampleRecord, sampleScenario, sampleTranscript, sampleTrial } from '../../../test/support/run-records.ts';
import { timelinesOf } from '../../../test/support/report-page.ts';
import { runRecord } from '../results/records.ts';
import { RunRecordSchema, type RunRecord } from '../results/records.ts';
import { writeReports } from './write.ts';
import { InvalidRunRecordError } from '../results/valid-record.ts';

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

  it('cuts a 12 MB answer and tool result in every report, with a note of what was cut, so report.html stays small', async () => {
    const answer = `TKT-1001 is open. ${'x'.repeat(12_000_000)}`;
    const transcript = sampleTranscript(
      'What about TKT-1001?',
      [{ name: 'get_ticket_details', server: 'tickets', args: { ticket_id: 'TKT-1001' }, ms: 3, result: 'y'.repeat(3_000_000) }],
      answer,
    );
    const record = runRecord(
      {
        runId: 'big',
        startedAt: '2025-10-05T12:00:00Z',
        durationMs: 10,
        mode: 'replay',
        authored: false,
        model: null,
        trials: 1,
        k: 1,
        shard: null,
      },
      [sampleScenario('big-answer', [sampleTrial(1, [transcript])], 1)],
    );
    const dir = join(base, 'big');
    await writeReports(record, dir, { root: SAMPLE_ROOT });
    const size = (name: string) => readFileSync(join(dir, name)).length;
    expect(size('report.html')).toBeLessThan(1_000_000);
    expect(size('results.json')).toBeLessThan(12_000_000);
    const html = timelinesOf(readFileSync(join(dir, 'report.html'), 'utf8')).join('');
    expect(html).toContain(
      `… [${(answer.length - 65_536).toLocaleString('en-US')} more characters cut from this report; ${answer.length.toLocaleString('en-US')} in all]`,
    );
    // The page previews a tool result (4,000 characters); results.json keeps up to its own limit.
    expect(html).toMatch(/result · [\d,]+ characters/);
    expect(html).toContain('more characters in results.json)');
    expect(html).not.toContain('y'.repeat(4_001));
    const results = RunRecordSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
    const kept = results.scenarios[0]?.trials[0]?.transcripts[0]?.answer ?? '';
    expect(kept.startsWith('TKT-1001 is open. xxx')).toBe(true);
    expect(
      kept.endsWith(
        `… [${(answer.length - 1_048_576).toLocaleString('en-US')} more characters cut from this report; ${answer.length.toLocaleString('en-US')} in all]`,
      ),
    ).toBe(true);
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
