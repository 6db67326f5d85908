import { defineConfig } from 'vitest/config';
import SlowestFirst from './test/sequencer.ts';

// The tiers, each a project that also runs alone (`npx vitest run --project <name>`):
//   unit         in-process tests beside the code (src/, servers/) and test/unit/
//   integration  test/integration/: real server processes, the CLI as a child process, HTTP on loopback
//   e2e          test/e2e/: a fresh clone and the packed package, Chromium, tmux, the MCP conformance suite
//   harness      test/harness/: scenarios run and graded in the test's own process over real servers
//   scenarios    test/harness/scenario-suite.test.ts: the scenario suite, one test per scenario
// The first three run two files at a time. The last two run one file at a time, after the others:
// their verdicts include the latency budgets (servers up within 3 s, discovered within 1 s, a tool
// call within 200 ms), which a file starting processes on the other core can push a run past. The
// CLI's eval re-checks a latency failure alone before it reports one; a run in the test process
// does not, so it gets the machine to itself.
const SCENARIO_SUITE = 'test/harness/scenario-suite.test.ts';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one file at a time (cores - 1), which left a core idle
    // while a file waited on its child processes.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    sequence: { sequencer: SlowestFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'servers/**/*.test.ts', 'test/unit/**/*.test.ts'],
          // The unit files share their worker processes instead of a fresh one each: re-importing the
          // same modules for each of 60 files was half of this tier's time. None of them mocks a module
          // or sets an environment variable or a global, which is what a shared process would carry over.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'harness',
          include: ['test/harness/**/*.test.ts'],
          exclude: [SCENARIO_SUITE],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: { name: 'scenarios', include: [SCENARIO_SUITE], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
