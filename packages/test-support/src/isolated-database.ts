import { afterAll } from 'vitest';
import { createScratchDatabase } from './create-scratch-database.js';

/**
 * A vitest setup file (`setupFiles`): runs in each test file's process before the file's imports,
 * and gives the file a database of its own, copied from the migrated and seeded test database.
 * Campaigns and policy announcements reach every contact of a database and workers reconcile every
 * queued message of it, so files running at the same time must not share one.
 */
const templateUrl =
  process.env.HERALD_TEMPLATE_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgresql://postgres@127.0.0.1:5432/herald_test';
// A worker process runs several files one after the other: copy the template, not the last file's copy.
process.env.HERALD_TEMPLATE_DATABASE_URL = templateUrl;

const scratch = await createScratchDatabase(templateUrl, 't');
process.env.DATABASE_URL = scratch.url;
process.env.TEST_DATABASE_URL = scratch.url;

afterAll(async () => {
  await scratch.drop();
});
