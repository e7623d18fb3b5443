import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// esbuild emits no decorator metadata, which Nest's injection needs: compile with swc under test.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    name: 'api',
    include: ['test/**/*.test.ts'],
    // Each file gets a database of its own (and each harness a queue prefix of its own), so files
    // run side by side without one file's worker claiming another's messages or campaigns.
    setupFiles: ['@herald/test-support/isolated-database'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
