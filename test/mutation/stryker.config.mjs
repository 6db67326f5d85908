// @ts-check
/**
 * Mutation testing of the orchestrator and the harness's judging parts: `npm run mutate`.
 * Incremental: the verdict of every mutant is kept in reports/mutation/, and a re-run only tests
 * the mutants whose code or covering tests changed since.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'test/mutation/vitest.config.ts' },
  mutate: [
    'src/orchestrator/**/*.ts',
    'src/harness/grading/**/*.ts',
    'src/harness/replay/**/*.ts',
    'src/harness/cassette.ts',
    'src/harness/trials.ts',
    'src/harness/stats.ts',
    '!src/**/*.test.ts',
  ],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20_000,
  // Stryker's tsconfig step calls ts.parseConfigFileTextToJson, which TypeScript 7 no longer has.
  // Pointing it at a file that does not exist skips that step; `npm test` type-checks the code.
  tsconfigFile: 'test/mutation/no-tsconfig.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
