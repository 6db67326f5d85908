// @ts-check
/**
 * What the two mutation runs share. Stryker 10 with its vitest runner and per-test coverage.
 * @param {{ name: string, vitestConfig: string, mutate: string[] }} run
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function strykerRun({ name, vitestConfig, mutate }) {
  return {
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: vitestConfig },
    mutate: [...mutate, '!src/**/*.test.ts'],
    coverageAnalysis: 'perTest',
    // A mutant in code that runs while a module loads (schemas, constant tables) is not owned by any
    // one test, so Stryker would run the whole list for each: about 1,500 such mutants, 98 % of the
    // time. They are reported as Ignored and not counted in the score.
    ignoreStatic: true,
    // Incremental: each mutant's verdict is kept in test/mutation/, and a re-run only tests the
    // mutants whose code or covering tests changed since. The file is committed so that holds on
    // any machine.
    incremental: true,
    incrementalFile: `test/mutation/${name}.incremental.json`,
    reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    clearTextReporter: { allowEmojis: false, logTests: false, reportMutants: false },
    concurrency: 2,
    timeoutMS: 20_000,
    // Stryker's tsconfig step calls ts.parseConfigFileTextToJson, which TypeScript 7 no longer
    // has. Pointing it at a file that does not exist skips that step; `npm test` type-checks.
    tsconfigFile: 'test/mutation/no-tsconfig.json',
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
  };
}
