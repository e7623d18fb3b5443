import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'templates',
    include: ['test/**/*.test.ts'],
    // MJML's first compile is slow (tens of ms), and one test builds the package with tsc.
    testTimeout: 60_000,
  },
});
