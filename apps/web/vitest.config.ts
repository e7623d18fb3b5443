import { defineConfig } from 'vitest/config';

// Tests run the BUILT app (build/server via server.js): `npm run build` first (npm test does).
export default defineConfig({
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    // Each file gets a database of its own and every process a queue prefix of its own: files run
    // side by side, and a campaign or policy announcement reaches only the file's own contacts.
    setupFiles: ['@herald/test-support/isolated-database'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
