import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'passwords',
    include: ['test/**/*.test.ts'],
  },
});
