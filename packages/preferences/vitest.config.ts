import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'preferences',
    include: ['test/**/*.test.ts'],
    // The concurrency and throughput tests wait on row locks in a shared database.
    testTimeout: 30_000,
  },
});
