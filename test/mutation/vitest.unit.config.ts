import { defineConfig } from 'vitest/config';

// The unit tests beside the code, for the unit mutation run (test/mutation/unit.config.mjs).
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['src/**/*.test.ts'],
  },
});
