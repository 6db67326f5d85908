import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolCache } from '../../src/harness/run/pools.ts';
import { resultDetails } from '../../src/harness/reporters/terminal.ts';
import { ReplayHub } from '../../src/harness/cassettes/replay-hub.ts';
import { runScenario } from '../../src/harness/suite/run-scenario.ts';
import { scenarioSchemaText } from '../../src/harness/scenario/scenario.ts';
import { loadScenarios } from '../../src/harness/scenario/load-suite.ts';
import { SCHEMA_PATH } from '../../scripts/scenario-schema.ts';
import { readFileSync } from 'node:fs';
import { ROOT } from '../servers.ts';

// The suite `npm run eval` runs, one vitest test per scenario, replayed offline.
const scenarios = loadScenarios(join(ROOT, 'scenarios'), {}, ROOT);
let pools: PoolCache;
let hub: ReplayHub;

beforeAll(async () => {
  pools = new PoolCache(ROOT);
  await pools.prepare(scenarios.map((s) => s.scenario));
  hub = new ReplayHub();
  hub.open();
});

afterAll(async () => {
  hub.close();
  await pools.close();
});

describe('scenario suite (replay)', () => {
  it('keeps scenarios/scenario.schema.json in step with the zod schema (npm run scenario-schema)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(scenarioSchemaText());
  });

  it.each(scenarios.map((s) => [s.scenario.id, s] as const))('%s', async (_id, loaded) => {
    const result = await runScenario(loaded, { mode: 'replay', hub, pools, recordingsDir: join(ROOT, 'recordings') });
    expect(result.pass, resultDetails(result).join('\n')).toBe(true);
  });
});
