import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@herald/db';

/**
 * The consent log's outbox trigger returns at once when no endpoint wants a consent event (a bulk
 * import writes thousands of rows a statement). With endpoints, one statement of many rows gets the
 * events of each row for the endpoints that want them, in consent-log order, each row's contact.*
 * event before its preferences.changed; with none wanting a consent event it writes nothing.
 */
let db: Db;
let contactId: string;
beforeAll(async () => {
  db = createPrismaClient({ databaseUrl: process.env.DATABASE_URL ?? '', maxConnections: 2 });
  contactId = (await db.contact.create({ data: { email: `trigger-${Date.now()}@example.test` } })).id;
});
afterAll(async () => db?.$disconnect());

async function insertFourRows(): Promise<bigint[]> {
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO consent_log (contact_id, category_key, action, source, actor, reason)
    SELECT ${contactId}::uuid, 'newsletter', a::"ConsentAction", 'import', 'test', r
      FROM (VALUES (1, 'subscribe', NULL), (2, 'unsubscribe', NULL), (3, 'suppress', 'erasure requested'),
                   (4, 'suppress', 'hard bounce')) AS v(n, a, r)
     ORDER BY n
    RETURNING id`;
  return rows.map((row) => row.id).sort((a, b) => (a < b ? -1 : 1));
}

describe('consent-log webhook events', () => {
  it('writes nothing when no endpoint wants a consent event', async () => {
    await db.webhookEndpoint.create({
      data: { url: 'http://127.0.0.1:9/none', events: ['message.sent'], secret: 'whsec_test' },
    });
    await insertFourRows();
    expect(await db.webhookOutbox.count()).toBe(0);
  });

  it('writes each row’s events in order, only those an active endpoint wants', async () => {
    await db.webhookEndpoint.create({
      data: {
        url: 'http://127.0.0.1:9/a',
        events: ['contact.subscribed', 'preferences.changed', 'contact.erased'],
        secret: 'whsec_test',
      },
    });
    // A disabled endpoint's events are not wanted.
    await db.webhookEndpoint.create({
      data: {
        url: 'http://127.0.0.1:9/b',
        events: ['contact.suppressed', 'contact.unsubscribed'],
        secret: 'whsec_test',
        disabledAt: new Date(),
      },
    });
    const ids = await insertFourRows();
    const events = await db.webhookOutbox.findMany({ orderBy: { id: 'asc' } });
    expect(
      events.map((event) => {
        const payload = event.payload as Record<string, unknown>;
        return [event.eventType, event.contactId, payload.consentLogId, payload.action, payload.subscribed];
      }),
    ).toEqual([
      ['contact.subscribed', contactId, String(ids[0]), 'subscribe', undefined],
      ['preferences.changed', contactId, String(ids[0]), 'subscribe', true],
      ['preferences.changed', contactId, String(ids[1]), 'unsubscribe', false],
      ['contact.erased', contactId, String(ids[2]), 'suppress', undefined],
    ]);
    expect(events[0]?.payload).toMatchObject({
      contactId,
      category: 'newsletter',
      source: 'import',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });
});
