import { defineConfig } from 'vitest/config';

// Tests run the BUILT app (build/server via server.js): `npm run build` first (npm test does).
export default defineConfig({
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
