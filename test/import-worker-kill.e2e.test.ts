import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@herald/db';
import { startHerald, type Herald } from '@herald/test-support';
import { randomBytes } from 'node:crypto';

/**
 * A background import survives its worker's death: the worker applying a 3,000-row file is killed
 * with SIGKILL half-way, another worker resumes it once the lease runs out, and every row is applied
 * exactly once (one contact, one consent entry each, counts that add up).
 */
const ROWS = 3000;
let herald: Herald;
let db: Db;
beforeAll(async () => {
  herald = await startHerald({
    workers: 0,
    env: { IMPORT_LEASE_MS: '1500', IMPORT_CONCURRENCY: '2', IMPORT_BATCH_ROWS: '500' },
  });
  db = createPrismaClient({ databaseUrl: herald.env.DATABASE_URL ?? '', maxConnections: 2 });
});
afterAll(async () => {
  await herald?.stop();
  await herald?.flushQueuePrefix();
  await db?.$disconnect();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a background import whose worker is killed', () => {
  it('is resumed by the next worker and applies every row once', async () => {
    const run = randomBytes(5).toString('hex');
    const emails = Array.from({ length: ROWS }, (_, i) => `import-${run}-${i}@example.test`);
    const query = new URLSearchParams({
      categories: 'newsletter',
      basis: 'signed up on example.com',
      background: 'true',
    });
    const response = await fetch(`${herald.apiUrl}/v1/imports?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${herald.apiKey}`, 'content-type': 'text/csv' },
      body: `email,name\n${emails.map((email, i) => `${email},Person ${i}`).join('\n')}\n`,
    });
    const staged = (await response.json()) as { id: string; totalRows: number };
    expect(response.status, JSON.stringify(staged)).toBe(202);
    expect(staged.totalRows).toBe(ROWS);

    // Rows applied: the bulk path deletes its staged rows and counts them on the import, the
    // row-by-row path marks its rows done.
    const applied = async () => {
      const [done, counted] = await Promise.all([
        db.importRowStaged.count({ where: { importId: staged.id, done: true } }),
        db.import.findUniqueOrThrow({ where: { id: staged.id }, select: { createdInBulk: true } }),
      ]);
      return done + counted.createdInBulk;
    };
    const first = herald.startWorker();
    let atKill = 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      atKill = await applied();
      if (atKill >= 500) break;
      await sleep(20);
    }
    await first.kill();
    const doneAtKill = await applied();
    expect(doneAtKill, 'the worker was killed before it finished').toBeLessThan(ROWS);
    expect(doneAtKill).toBeGreaterThan(0);

    herald.startWorker();
    let view: Record<string, any> = {};
    const finishBy = Date.now() + 50_000;
    while (Date.now() < finishBy) {
      view = (await herald.client.call('GET', `/v1/imports/${staged.id}`)).body;
      if (view.status === 'finished') break;
      await sleep(200);
    }
    expect(view.status, JSON.stringify(view)).toBe('finished');
    expect(view.counts).toMatchObject({ rows: ROWS, created: ROWS, subscribed: ROWS, errorCount: 0 });
    expect(await db.contact.count({ where: { email: { in: emails } } })).toBe(ROWS);
    const entries = await db.consentLogEntry.groupBy({
      by: ['contactId'],
      where: { contact: { email: { in: emails } }, source: 'import' },
      _count: { _all: true },
    });
    expect(entries.length).toBe(ROWS);
    expect(entries.filter((entry) => entry._count._all !== 1)).toEqual([]);
  }, 90_000);
});
