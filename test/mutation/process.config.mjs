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
  // A mutant in code that runs while a module loads (schemas, constant tables) is not owned by any one
  // test, so Stryker would run the whole list for each: about 1,500 such mutants, 98 % of the time. They
  // are reported as Ignored, not counted in the score.
  ignoreStatic: true,
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
  // The sandbox is a copy without dist/ (it is git-ignored): bundle the servers there, or every
  // test would start them from TypeScript, twice as slow.
  buildCommand: 'node scripts/build-servers.ts',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
