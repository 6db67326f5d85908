// @ts-check
import { strykerRun } from './shared.mjs';

const base = strykerRun({
  name: 'process',
  vitestConfig: 'test/mutation/vitest.process.config.ts',
  mutate: [
    'src/orchestrator/process-transport.ts',
    'src/orchestrator/server-connection.ts',
    'src/orchestrator/server-pool.ts',
    'src/harness/cassettes/replay-hub.ts',
    'src/harness/suite/trials.ts',
  ],
});

/**
 * The code that only means something with real processes and real HTTP: the server pool, its
 * connections and transport, the msw replay hub and trials, against the integration tests that
 * start the bundled servers. Each mutant costs seconds here, so the incremental file matters.
 */
export default {
  ...base,
  // The sandbox is a copy without dist/ (it is git-ignored): bundle the servers there, or every
  // test would start them from TypeScript, twice as slow.
  buildCommand: 'node scripts/build-servers.ts',
};
