import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'test-support',
    include: ['test/**/*.test.ts'],
    // Delayed replies and a server coming back make some tests wait whole seconds.
    testTimeout: 30_000,
  },
});
