import { defineConfig } from 'vitest/config';

/** One test run for the whole repository: each workspace is a project with its own settings. */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/api', 'apps/web', 'test'],
  },
});
