import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { waitForInFlightDeliveries } from '../src/wait-for-in-flight-deliveries.js';
import { connect, createCategory, createContact, type CategoryFixture } from './support/database.js';

const db = connect();
let category: CategoryFixture;
let templateId: string;

beforeAll(async () => {
  category = await createCategory(db, { class: 'promotional', required: false, defaultSubscribed: true });
  const template = await db.template.create({
    data: {
      key: `wait-${randomUUID().slice(0, 8)}`,
      version: 1,
      categoryKey: category.key,
      subject: 's',
      mjml: '<mjml></mjml>',
    },
  });
  templateId = template.id;
});
afterAll(async () => db.$disconnect());

async function messageBeingSent(contactId: string, claimedSecondsAgo = 0) {
  return db.message.create({
    data: {
      contactId,
      templateId,
      categoryKey: category.key,
      class: 'promotional',
      status: 'sending',
      claimedAt: new Date(Date.now() - claimedSecondsAgo * 1000),
    },
  });
}

describe('waitForInFlightDeliveries', () => {
  it('answers at once when nothing is being sent to the contact', async () => {
    const contact = await createContact(db);
    await messageBeingSent((await createContact(db)).id);
    expect(await waitForInFlightDeliveries(db, { contactId: contact.id })).toMatchObject({ inFlight: 0 });
  });

  it('waits until the send in flight is recorded', async () => {
    const contact = await createContact(db);
    const message = await messageBeingSent(contact.id);
    // Prisma queries run only when awaited: the update is awaited inside the timer.
    setTimeout(async () => {
      await db.message.update({ where: { id: message.id }, data: { status: 'sent' } });
    }, 150);
    const result = await waitForInFlightDeliveries(db, { contactId: contact.id, timeoutMs: 5000 });
    expect(result.inFlight).toBe(0);
    expect(result.waitedMs).toBeGreaterThanOrEqual(100);
  });

  it('gives up after the timeout and ignores claims of dead workers', async () => {
    const stuck = await createContact(db);
    await messageBeingSent(stuck.id);
    expect(await waitForInFlightDeliveries(db, { contactId: stuck.id, timeoutMs: 100 })).toMatchObject({
      inFlight: 1,
    });
    const stale = await createContact(db);
    await messageBeingSent(stale.id, 120);
    expect(await waitForInFlightDeliveries(db, { contactId: stale.id, timeoutMs: 100 })).toMatchObject({
      inFlight: 0,
    });
  });
});
