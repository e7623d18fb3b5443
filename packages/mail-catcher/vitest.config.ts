import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'mail-catcher',
    include: ['test/**/*.test.ts'],
    // The throughput measurement sends thousands of messages.
    testTimeout: 60_000,
  },
});
