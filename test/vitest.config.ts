import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    // Each file gets a database of its own and every process it starts a queue prefix of its own,
    // so files may run side by side: no worker can claim another file's messages or campaigns.
    setupFiles: ['@herald/test-support/isolated-database'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
