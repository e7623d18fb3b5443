import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file creates its own database and runs the Prisma CLI (1 to 3 s a command).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
