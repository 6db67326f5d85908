import { defineConfig } from 'vitest/config';

// The scenario suite grades latency budgets (a tool call within 200 ms), so it runs in a group of
// its own, never beside the tests that start browsers, terminals and many processes.
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
        test: {
          name: 'tests',
          include: ['src/**/*.test.ts', 'servers/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/scenarios.test.ts', 'test/fresh-clone.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'scenarios', include: ['test/scenarios.test.ts'], sequence: { groupOrder: 1 } },
      },
      {
        // A clone and its npm install, after everything else: the walk a newcomer takes.
        extends: true,
        test: { name: 'fresh-clone', include: ['test/fresh-clone.test.ts'], sequence: { groupOrder: 2 } },
      },
    ],
  },
});
