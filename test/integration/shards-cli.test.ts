import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunRecordSchema } from '../../src/harness/results/records.ts';
import { evalInFolder, type HelpdeskRun } from '../support/run-helpdesk.ts';

// `helpdesk eval --shard i/n` and `helpdesk merge` through the real CLI: the shards split the suite
// and their merged results are the totals of one whole run.

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shards-'));
  mkdirSync(join(dir, 'scenarios'));
  mkdirSync(join(dir, 'recordings'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<HelpdeskRun> {
  return evalInFolder(dir, args);
}

describe('shards', () => {
  it('splits the suite stably by ID and merges shard results into the totals of one run', async () => {
    const ids = ['s-alpha', 's-bravo', 's-charlie', 's-delta', 's-echo', 's-foxtrot'];
    for (const id of ids) {
      writeFileSync(
        join(dir, 'scenarios', `${id}.json`),
        JSON.stringify({
          id,
          description: id,
          turns: ['Is TKT-1001 critical?'],
          script: [
            { tool_calls: [{ name: 'get_ticket_details', arguments: { ticket_id: 'TKT-1001' } }] },
            { answer: 'Yes, TKT-1001 is critical.' },
          ],
          expect: {
            tools: { mode: 'exact', calls: [{ name: 'get_ticket_details' }] },
            answer: { contains: id === 's-delta' ? ['not in the answer'] : ['TKT-1001'] },
          },
        }),
      );
    }
    expect((await run(['--author'])).code).toBe(1); // s-delta's expectation fails by design
    const whole = await run(['--report-dir', join(dir, 'whole')]);
    const parts = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      const part = await run(['--shard', shard, '--report-dir', join(dir, `shard-${shard[0]}`)]);
      parts.push(RunRecordSchema.parse(JSON.parse(readFileSync(join(dir, `shard-${shard[0]}`, 'results.json'), 'utf8'))));
      expect(part.stderr).not.toContain('unexpected error');
    }
    const wholeRecord = RunRecordSchema.parse(JSON.parse(readFileSync(join(dir, 'whole', 'results.json'), 'utf8')));
    const shardIds = parts.flatMap((p) => p.scenarios.map((s) => s.id)).sort();
    expect(shardIds).toEqual(ids);
    expect(parts.map((p) => p.shard)).toEqual([
      { index: 1, count: 3 },
      { index: 2, count: 3 },
      { index: 3, count: 3 },
    ]);

    const merged = await run(['merge', ...parts.map((_, i) => join(dir, `shard-${i + 1}`)), '--out', join(dir, 'merged')]);
    const mergedRecord = RunRecordSchema.parse(JSON.parse(readFileSync(join(dir, 'merged', 'results.json'), 'utf8')));
    expect(mergedRecord.totals).toEqual(wholeRecord.totals);
    expect(mergedRecord.totals).toMatchObject({ scenarios: 6, passed: 5, failed: 1 });
    expect(merged.code).toBe(whole.code);
    expect(merged.code).toBe(1);

    const twice = await run(['merge', join(dir, 'shard-1'), join(dir, 'shard-1')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/scenario s-\w+ is in both/);
    // Eight eval processes one after another: 14-17 s on an idle 2-core machine, more under load.
  }, 60_000);
});
