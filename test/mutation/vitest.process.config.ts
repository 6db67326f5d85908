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
      'test/harness/scenario-suite.test.ts',
      'test/e2e/chat-terminal.test.ts',
      'test/integration/ask-and-tools-cli.test.ts',
      'test/integration/eval-cli.test.ts',
      'test/e2e/report-html-browser.test.ts',
      'test/unit/architecture.test.ts',
      'test/integration/chat-save-cli.test.ts',
      'test/integration/process-groups.test.ts',
      'test/integration/trials-cli.test.ts',
      'test/integration/shards-cli.test.ts',
    ],
  },
});
