import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runRecord, type RunRecord, type ScenarioRecord } from '../../src/harness/results/records.ts';
import { writeReports } from '../../src/harness/reporters/write.ts';
import { sampleScenario, sampleTranscript, sampleTrial } from './run-records.ts';

/** The older of the two runs the viewer tests serve, and the newer one compared with it. */
export const BASE_RUN = '20251005T120000Z-replay-base';
export const HEAD_RUN = '20251006T120000Z-replay-head';

/** A scenario ID as a hand-edited results.json could hold it: markup that must stay text. */
export const HOSTILE_ID = 'new-<img src=x onerror="window.__pwned=1">';

/** Folders of the served reports folder that are not readable runs, and why. */
export const BAD_FOLDERS = {
  'broken-json': 'not valid JSON',
  'no-results': 'no results.json',
  'wrong-version': 'schema_version is not 1',
} as const;

const WRONG = { name: 'answer', pass: false, reason: 'expected to contain "TKT-1004", got "TKT-1001 only."' };

function scenario(id: string, pass: boolean, toolMs = 12): ScenarioRecord {
  const transcript = () =>
    sampleTranscript(
      `Question of ${id}?`,
      [{ name: 'search_tickets', server: 'tickets', args: { query: id }, ms: toolMs, result: '{"tickets":["TKT-1001"]}' }],
      pass ? 'TKT-1001 and TKT-1004.' : 'TKT-1001 only.',
    );
  const trials = [1, 2].map((n) =>
    sampleTrial(n, [transcript()], pass ? {} : { pass: false, reason: `[answer] ${WRONG.reason}`, failures: [WRONG] }),
  );
  return sampleScenario(id, trials, 1);
}

function run(runId: string, startedAt: string, scenarios: readonly ScenarioRecord[]): RunRecord {
  return runRecord(
    { runId, startedAt, durationMs: 2500, mode: 'replay', authored: true, model: 'gpt-4o-mini', trials: 2, k: 1, shard: null },
    scenarios,
  );
}

/**
 * The base run: password-reset passes, vpn-outage fails, old-printer passes, slow-lookup is fast.
 * The head run: password-reset fails (a regression), vpn-outage passes (a fix), old-printer is gone,
 * new-laptop and a scenario with a hostile ID are new, slow-lookup's p95 rose from ~80 ms to ~570 ms.
 */
export function viewerRuns(): { base: RunRecord; head: RunRecord } {
  const base = run(BASE_RUN, '2025-10-05T12:00:00.000Z', [
    scenario('password-reset', true),
    scenario('vpn-outage', false),
    scenario('old-printer', true),
    scenario('slow-lookup', true),
  ]);
  const head = run(HEAD_RUN, '2025-10-06T12:00:00.000Z', [
    scenario('password-reset', false),
    scenario('vpn-outage', true),
    scenario('new-laptop', true),
    scenario('slow-lookup', true, 500),
    { ...scenario('new-hostile', true), id: HOSTILE_ID },
  ]);
  return { base, head };
}

/** Writes both runs' reports into `dir` (one folder per run, as helpdesk eval does) and the bad folders beside them. */
export async function writeViewerRuns(dir: string): Promise<{ base: RunRecord; head: RunRecord }> {
  const runs = viewerRuns();
  await writeReports(runs.base, join(dir, BASE_RUN));
  await writeReports(runs.head, join(dir, HEAD_RUN));
  await mkdir(join(dir, 'broken-json'));
  await writeFile(join(dir, 'broken-json', 'results.json'), '{"schema_version": 1, "run_id": ');
  await mkdir(join(dir, 'no-results'));
  await writeFile(join(dir, 'no-results', 'results.jsonl'), '');
  await mkdir(join(dir, 'wrong-version'));
  await writeFile(join(dir, 'wrong-version', 'results.json'), JSON.stringify({ ...runs.base, schema_version: 2 }, null, 2));
  return runs;
}
