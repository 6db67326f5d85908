import { defineConfig } from 'vitest/config';

// Three tiers, each a project that runs on its own with `npx vitest run --project <name>`:
//   unit         in-process tests beside the code (src/, servers/) and test/unit/
//   integration  test/integration/: real server processes, the CLI as a child process, HTTP on loopback
//   e2e          test/e2e/: a fresh clone and the packed package, Chromium, tmux, the MCP conformance suite
// The scenario suite grades latency budgets (a tool call within 200 ms), so it runs as a fourth
// project in a group of its own, after the others, never beside the tests that start browsers,
// terminals and many processes.
const SCENARIO_SUITE = 'test/integration/scenario-suite.test.ts';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two test files at a time. Vitest's default on a 2-core machine is one (cores - 1), which left a
    // core idle while a file waited on its child processes. The three tiers share one group, so a
    // long e2e file runs beside integration and unit files rather than after them.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
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
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], exclude: [SCENARIO_SUITE], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'scenarios', include: [SCENARIO_SUITE], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
