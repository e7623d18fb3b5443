import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { waitForInFlightDeliveries } from '../src/wait-for-in-flight-deliveries.js';
import { connect, createCategory, createContact, type CategoryFixture } from './support/database.js';

const db = connect();
let category: CategoryFixture;
let templateId: string;
let liveWorker: string;
let deadWorker: string;

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
  const lease = (expiresInMs: number) =>
    db.workerLease.create({
      data: { id: randomUUID(), host: 'test', pid: 1, expiresAt: new Date(Date.now() + expiresInMs) },
    });
  liveWorker = (await lease(10 * 60_000)).id;
  deadWorker = (await lease(-60_000)).id;
});
afterAll(async () => db.$disconnect());

/** A message claimed by a worker; `started` once that worker has a send slot and talks to SMTP. */
async function messageBeingSent(contactId: string, { started = true, worker = liveWorker } = {}) {
  const claimedAt = new Date(Date.now() - 1000);
  return db.message.create({
    data: {
      contactId,
      templateId,
      categoryKey: category.key,
      class: 'promotional',
      status: 'sending',
      claimedAt,
      claimedBy: worker,
      sendStartedAt: started ? new Date(claimedAt.getTime() + 500) : null,
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
    expect(await db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: 'sent',
    });
  });

  it('does not wait for claimed messages still waiting for a send slot: they decide again when they get one', async () => {
    const contact = await createContact(db);
    await messageBeingSent(contact.id, { started: false });
    expect(await waitForInFlightDeliveries(db, { contactId: contact.id, timeoutMs: 100 })).toMatchObject({
      inFlight: 0,
    });
  });

  it('does not wait for a send started after its first look', async () => {
    const contact = await createContact(db);
    const message = await messageBeingSent(contact.id);
    setTimeout(async () => {
      // Finished, then claimed again and started anew after the opt-out looked.
      await db.message.update({
        where: { id: message.id },
        data: { claimedAt: new Date(Date.now() + 60_000), sendStartedAt: new Date(Date.now() + 61_000) },
      });
    }, 100);
    const result = await waitForInFlightDeliveries(db, { contactId: contact.id, timeoutMs: 5000 });
    expect(result.inFlight).toBe(0);
    expect(await db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: 'sending',
    });
  });

  it('gives up after the timeout and ignores sends of dead workers', async () => {
    const stuck = await createContact(db);
    await messageBeingSent(stuck.id);
    expect(await waitForInFlightDeliveries(db, { contactId: stuck.id, timeoutMs: 100 })).toMatchObject({
      inFlight: 1,
    });
    const orphaned = await createContact(db);
    await messageBeingSent(orphaned.id, { worker: deadWorker });
    expect(await waitForInFlightDeliveries(db, { contactId: orphaned.id, timeoutMs: 100 })).toMatchObject({
      inFlight: 0,
    });
  });
});
