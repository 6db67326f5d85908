import { defineConfig } from 'vitest/config';

// The tests of the process mutation run (process.config.mjs): the unit tests beside the code and the
// integration tests that drive the orchestrator and the harness in-process over real stdio servers.
// Stryker's vitest runner cannot pick a project, so the files are named here. Tests that mostly start
// `helpdesk` as a child process, a browser or a terminal are left out: a mutant's switch lives in the
// test process, so they could hardly see it, and each would cost seconds for every mutant it covers.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [
      'test/scenarios.test.ts',
      'test/chat.test.ts',
      'test/cli.test.ts',
      'test/eval-cli.test.ts',
      'test/report-html.test.ts',
      'test/architecture.test.ts',
      'test/chat-save.test.ts',
      'test/process-groups.test.ts',
      'test/trials.test.ts',
    ],
  },
});
