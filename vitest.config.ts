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
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', 'servers/**/*.test.ts', 'test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } },
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
