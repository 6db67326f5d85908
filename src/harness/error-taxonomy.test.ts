import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, HelpdeskError, StorageError } from '../orchestrator/errors.ts';
import { readCassette } from './cassettes/cassette.ts';
import { ReportWriteError } from './reporters/write.ts';
import { loadBaseline } from './results/baseline.ts';
import { InvalidRunRecordError } from './results/valid-record.ts';
import { ScenarioFileError, readScenarioFile } from './scenario/scenario.ts';
import { parseShard } from './scenario/shard.ts';
import { UnknownRunError } from './viewer/runs-index.ts';
import { UnreadableResultsError } from './viewer/results-file.ts';

/** Calls `fn` and returns what it threw (failing the test when it throws nothing). */
function thrown(fn: () => unknown): HelpdeskError {
  try {
    fn();
  } catch (error) {
    return error as HelpdeskError;
  }
  throw new Error('nothing was thrown');
}

describe('the error taxonomy: each failure the harness throws says who is at fault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-errors-'));

  it('blames the user input for a baseline, a shard, a cassette and a scenario file that are wrong, naming them', () => {
    const baseline = thrown(() => loadBaseline(join(dir, 'none'), dir, '--baseline'));
    expect(baseline).toBeInstanceOf(ConfigError);
    expect(baseline.code).toBe('unreadable_results');
    expect(baseline.message).toMatch(/^--baseline: no baseline results at .*none/);

    const shard = thrown(() => parseShard('5/4'));
    expect(shard).toBeInstanceOf(ConfigError);
    expect(shard.message).toBe('--shard must look like i/n with 1 ≤ i ≤ n, e.g. 2/4; got "5/4"');

    writeFileSync(join(dir, 'broken.json'), '{"format": 1');
    const cassette = thrown(() => readCassette(join(dir, 'broken.json')));
    expect(cassette).toBeInstanceOf(ConfigError);
    expect(cassette.code).toBe('invalid_cassette');
    expect(cassette.message).toContain(`${join(dir, 'broken.json')}: not valid JSON`);

    writeFileSync(join(dir, 'bad-scenario.yaml'), 'id: bad-scenario\nturns: []\n');
    const scenario = thrown(() => readScenarioFile(join(dir, 'bad-scenario.yaml'), dir));
    expect(scenario).toBeInstanceOf(ScenarioFileError);
    expect(scenario).toBeInstanceOf(ConfigError);
    expect(scenario.code).toBe('invalid_scenario_file');
    expect(scenario.message).toMatch(/^bad-scenario\.yaml:/);
  });

  it("gives the viewer's, the storage's and the harness's own failures their families and codes", () => {
    expect(new UnknownRunError('r1')).toMatchObject({ code: 'unknown_run', message: 'no run "r1" in the served folder' });
    expect(new UnknownRunError('r1')).toBeInstanceOf(ConfigError);
    expect(new UnreadableResultsError('no results.json')).toMatchObject({ code: 'unreadable_results', name: 'UnreadableResultsError' });
    const write = new ReportWriteError('/r', ['/r/results.json'], [{ path: '/r/report.html', error: new Error('ENOSPC') }]);
    expect(write).toBeInstanceOf(StorageError);
    expect(write).toMatchObject({ code: 'storage_error', path: '/r', message: 'could not write report.html in /r: ENOSPC' });
    const invalid = new InvalidRunRecordError(['totals: Required']);
    expect(invalid).toBeInstanceOf(HelpdeskError);
    expect(invalid).not.toBeInstanceOf(ConfigError);
    expect(invalid.code).toBe('invalid_run_record');
  });
});
