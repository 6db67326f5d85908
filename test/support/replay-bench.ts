import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PoolCache } from '../../src/harness/run/pools.ts';
import { ReplayHub } from '../../src/harness/cassettes/replay-hub.ts';
import type { RunOptions } from '../../src/harness/run/execute.ts';
import { ROOT } from '../servers.ts';

/** What an in-process harness test runs scenarios with: pools, a replay hub, a scratch folder. */
export interface ReplayBench {
  readonly pools: PoolCache;
  readonly hub: ReplayHub;
  /** A temporary folder with an empty scenarios/ (recordings/ appears when something is authored). */
  readonly dir: string;
  /** Replay options against `recordingsDir` (default the scratch folder's recordings/). */
  options(extra?: Partial<RunOptions>): RunOptions;
}

/**
 * Opens pools, a listening replay hub and a scratch folder before the file's tests and closes
 * them all after: the fixture every in-process runScenario test needs.
 */
export function useReplayBench(prefix: string): ReplayBench {
  let pools: PoolCache | undefined;
  let hub: ReplayHub | undefined;
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    mkdirSync(join(dir, 'scenarios'));
    pools = new PoolCache(ROOT);
    hub = new ReplayHub();
    hub.open();
  });
  afterAll(async () => {
    hub?.close();
    await pools?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useReplayBench: used outside a test');
    return value;
  };
  return {
    get pools() {
      return ready(pools);
    },
    get hub() {
      return ready(hub);
    },
    get dir() {
      return ready(dir);
    },
    options(extra = {}) {
      return { mode: 'replay', hub: ready(hub), pools: ready(pools), recordingsDir: join(ready(dir), 'recordings'), ...extra };
    },
  };
}
