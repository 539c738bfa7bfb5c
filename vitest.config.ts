import { defineConfig } from 'vitest/config';

// Tests share one config; servers and browsers are started and stopped by the tests themselves.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    environment: 'node',
    pool: 'forks',
    // Two test files at a time on this 2-core machine (Vitest's default is cores - 1): most of a
    // file's time is a server or a browser waiting, not CPU.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
