import { defineConfig } from 'vitest/config';

/**
 * One test run for the whole repository: each workspace is a project with its own settings. Two test
 * files run at a time across all projects (one per core here); the files that use PostgreSQL each get
 * a database of their own and every Herald process a queue prefix of its own, so files running side by
 * side never see each other's contacts, messages or campaigns. The number of workers is set here, not
 * per project: vitest runs projects with different numbers of workers only in separate groups.
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/api', 'apps/web', 'test'],
    maxWorkers: 2,
  },
});
