import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'preferences',
    include: ['test/**/*.test.ts'],
    // A database of each file's own, copied from the test database: nothing connects to the
    // template, which PostgreSQL needs to copy it for other files.
    // Every address hash is keyed: the tests set a key, as each process does at start-up.
    setupFiles: ['@herald/test-support/isolated-database', './test/support/address-hash-key.ts'],
    // The concurrency and throughput tests wait on row locks.
    testTimeout: 30_000,
  },
});
