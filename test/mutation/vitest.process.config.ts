import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant. Stryker's vitest runner cannot pick a project, so this
// config names the files itself: the unit tests beside the code, and the integration tests that drive
// the orchestrator and the harness in-process over real stdio servers. Tests that only start
// `helpdesk` as a child process, a browser or a terminal are left out: a mutant's switch lives in the
// test process, so they could never see it and would only slow the first (dry) run.
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
