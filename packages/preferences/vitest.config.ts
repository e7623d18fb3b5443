import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'preferences',
    include: ['test/**/*.test.ts'],
    // A database of each file's own, copied from the test database: nothing connects to the
    // template, which PostgreSQL needs to copy it for other files.
    setupFiles: ['@herald/test-support/isolated-database'],
    // The concurrency and throughput tests wait on row locks.
    testTimeout: 30_000,
  },
});
