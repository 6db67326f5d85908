import { displayPath } from './records.ts';
import { scenarioRecord, trialRecord, type ScenarioRecord } from './records.ts';
import type { ScenarioTrials } from './scenario-result.ts';
import type { Prices } from './prices.ts';

/** A scenario's record from its trials; its file is kept relative to the project, so runs from different machines and shards compare and merge. */
export function recordOf(run: ScenarioTrials, k: number, root: string, prices?: Prices): ScenarioRecord {
  const loaded = { ...run.loaded, file: displayPath(run.loaded.file, root) };
  return scenarioRecord(
    loaded,
    run.results.map((result, i) => trialRecord(result, run.loaded.scenario, i + 1, prices)),
    k,
  );
}

/** A scenario's results without transcripts and requests: what the fault matrix plans from (the calls made). */
export function slim(run: ScenarioTrials): ScenarioTrials {
  return {
    loaded: run.loaded,
    results: run.results.map((r) => ({ ...r, run: r.run ? { ...r.run, transcripts: [], requests: [] } : undefined })),
  };
}
