import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnsubscribe } from '../src/apply-unsubscribe.js';
import { decideDelivery } from '../src/decide-delivery.js';
import { eraseContact } from '../src/erase-contact.js';
import { loadDeliveryState, loadDeliveryStates } from '../src/load-delivery-state.js';
import { suppressAddress } from '../src/suppress-address.js';
import { connect, createCategory, createContact, type CategoryFixture } from './support/database.js';

const db = connect();
let newsletter: CategoryFixture;
let optInOnly: CategoryFixture;
let policyUpdates: CategoryFixture;

beforeAll(async () => {
  newsletter = await createCategory(db, { class: 'promotional' });
  optInOnly = await createCategory(db, { class: 'promotional', defaultSubscribed: false });
  policyUpdates = await createCategory(db, { class: 'transactional', required: true });
});
afterAll(() => db.$disconnect());

describe('loadDeliveryState', () => {
  it('returns the contact, the category and a clean decision input', async () => {
    const contact = await createContact(db);
    const state = await loadDeliveryState(db, { contactId: contact.id, categoryKey: newsletter.key });
    expect(state).toEqual({
      contact: {
        id: contact.id,
        email: contact.email,
        name: 'Ada Lovelace',
        locale: 'fr',
        erased: false,
        tokenEpoch: 0,
        clickTrackingOff: false,
      },
      category: {
        key: newsletter.key,
        name: `Category ${newsletter.key}`,
        description: `Test category ${newsletter.key}`,
        class: 'promotional',
        required: false,
        defaultSubscribed: true,
        trackClicks: false,
      },
      decisionInput: {
        messageClass: 'promotional',
        categoryRequired: false,
        categorySubscribed: true,
        categoryExplicit: false,
        promotionalDefaults: true,
        testSend: false,
        allPromotionalOptOut: false,
        complained: false,
        addressErased: false,
        hardBounced: false,
        softBounceLimited: false,
        manuallySuppressed: false,
        hasAddress: true,
      },
    });
    expect(decideDelivery(state!.decisionInput)).toEqual({ allowed: true });
  });

  it("follows the category default and the contact's opt-outs", async () => {
    const contact = await createContact(db);
    const optIn = await loadDeliveryState(db, { contactId: contact.id, categoryKey: optInOnly.key });
    expect(optIn?.decisionInput.categorySubscribed).toBe(false);

    await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: newsletter.key },
      source: 'one-click',
    });
    await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'all-promotional' },
      source: 'one-click',
    });
    const state = await loadDeliveryState(db, { contactId: contact.id, categoryKey: newsletter.key });
    expect(state?.decisionInput).toMatchObject({ categorySubscribed: false, allPromotionalOptOut: true });
    expect(decideDelivery(state!.decisionInput)).toEqual({
      allowed: false,
      reason: 'all-promotional-opt-out',
    });
  });

  it('takes no consent from promotional defaults for a contact created by a send, but lets its test send go', async () => {
    const contact = await createContact(db);
    await db.contact.update({ where: { id: contact.id }, data: { promotionalDefaults: false } });
    const state = await loadDeliveryState(db, { contactId: contact.id, categoryKey: newsletter.key });
    expect(state?.decisionInput).toMatchObject({
      categoryExplicit: false,
      promotionalDefaults: false,
      testSend: false,
    });
    expect(decideDelivery(state!.decisionInput)).toEqual({ allowed: false, reason: 'no-consent' });

    // A campaign's test send is the message whose queued event names the campaign it tests.
    const template = await db.template.create({
      data: {
        key: `t-${randomUUID()}`,
        version: 1,
        categoryKey: newsletter.key,
        subject: 's',
        mjml: '<mjml/>',
      },
    });
    const message = await db.message.create({
      data: {
        contactId: contact.id,
        templateId: template.id,
        categoryKey: newsletter.key,
        class: 'promotional',
        events: { create: { type: 'queued', detail: { testOfCampaign: randomUUID() } } },
      },
    });
    const [testSend, plain] = await loadDeliveryStates(db, [
      { contactId: contact.id, categoryKey: newsletter.key, messageId: message.id },
      { contactId: contact.id, categoryKey: newsletter.key, messageId: randomUUID() },
    ]);
    expect(testSend?.decisionInput.testSend).toBe(true);
    expect(decideDelivery(testSend!.decisionInput)).toEqual({ allowed: true });
    expect(plain?.decisionInput.testSend).toBe(false);
  });

  it("reads complaints and hard bounces from the address's suppressions", async () => {
    const contact = await createContact(db);
    // Suppressed under another spelling, before this contact existed: the hash still matches.
    await suppressAddress(db, {
      email: contact.email!.toUpperCase(),
      reason: 'complaint',
      source: 'complaint',
    });
    const complained = await loadDeliveryState(db, { contactId: contact.id, categoryKey: newsletter.key });
    expect(complained?.decisionInput).toMatchObject({ complained: true, hardBounced: false });
    const required = await loadDeliveryState(db, { contactId: contact.id, categoryKey: policyUpdates.key });
    expect(decideDelivery(required!.decisionInput)).toEqual({ allowed: true });

    await suppressAddress(db, { email: contact.email!, reason: 'hard-bounce', source: 'bounce' });
    const bounced = await loadDeliveryState(db, { contactId: contact.id, categoryKey: policyUpdates.key });
    expect(bounced?.decisionInput).toMatchObject({
      complained: true,
      hardBounced: true,
      categoryRequired: true,
    });
    expect(decideDelivery(bounced!.decisionInput)).toEqual({ allowed: false, reason: 'hard-bounce' });
  });

  it('reads soft-bounce-limit and manual suppressions, which block required mail like a hard bounce', async () => {
    const limited = await createContact(db);
    const manual = await createContact(db);
    await suppressAddress(db, { email: limited.email!, reason: 'soft-bounce-limit', source: 'bounce' });
    await suppressAddress(db, { email: manual.email!.toUpperCase(), reason: 'manual', source: 'admin' });
    const [limitedRequired, manualRequired, manualPromotional] = await loadDeliveryStates(db, [
      { contactId: limited.id, categoryKey: policyUpdates.key },
      { contactId: manual.id, categoryKey: policyUpdates.key },
      { contactId: manual.id, categoryKey: newsletter.key },
    ]);
    expect(limitedRequired?.decisionInput).toMatchObject({
      softBounceLimited: true,
      manuallySuppressed: false,
      hardBounced: false,
    });
    expect(decideDelivery(limitedRequired!.decisionInput)).toEqual({
      allowed: false,
      reason: 'soft-bounce-limit',
    });
    expect(manualRequired?.decisionInput).toMatchObject({
      softBounceLimited: false,
      manuallySuppressed: true,
    });
    expect(decideDelivery(manualRequired!.decisionInput)).toEqual({ allowed: false, reason: 'manual' });
    expect(decideDelivery(manualPromotional!.decisionInput)).toEqual({ allowed: false, reason: 'manual' });
  });

  it('keeps an erased address out of promotional mail when it comes back as a new contact', async () => {
    const first = await createContact(db);
    await eraseContact(db, { contactId: first.id, actor: 'dpo@example.com' });
    const again = await db.contact.create({ data: { email: first.email } });
    const promotional = await loadDeliveryState(db, { contactId: again.id, categoryKey: newsletter.key });
    expect(promotional?.decisionInput).toMatchObject({ addressErased: true, hasAddress: true });
    expect(decideDelivery(promotional!.decisionInput)).toEqual({ allowed: false, reason: 'erased-address' });
    const required = await loadDeliveryState(db, { contactId: again.id, categoryKey: policyUpdates.key });
    expect(decideDelivery(required!.decisionInput)).toEqual({ allowed: true });
  });

  it('reports an erased contact as having no address', async () => {
    const contact = await createContact(db);
    await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com' });
    const state = await loadDeliveryState(db, { contactId: contact.id, categoryKey: policyUpdates.key });
    expect(state?.contact).toEqual({
      id: contact.id,
      email: null,
      name: null,
      locale: 'en',
      erased: true,
      tokenEpoch: 0,
      clickTrackingOff: false,
    });
    expect(decideDelivery(state!.decisionInput)).toEqual({ allowed: false, reason: 'no-address' });
  });

  it('returns null for an unknown contact or category', async () => {
    const contact = await createContact(db);
    expect(await loadDeliveryState(db, { contactId: randomUUID(), categoryKey: newsletter.key })).toBeNull();
    expect(
      await loadDeliveryState(db, { contactId: contact.id, categoryKey: 'no-such-category' }),
    ).toBeNull();
  });
});

describe('loadDeliveryStates', () => {
  it('answers many requests in order, with null for the ones that do not exist', async () => {
    const plain = await createContact(db);
    const bounced = await createContact(db);
    await suppressAddress(db, { email: bounced.email!, reason: 'hard-bounce', source: 'bounce' });
    const missing = '0190a0a0-0000-7000-8000-000000000000';
    const states = await loadDeliveryStates(db, [
      { contactId: bounced.id, categoryKey: newsletter.key },
      { contactId: missing, categoryKey: newsletter.key },
      { contactId: plain.id, categoryKey: policyUpdates.key },
      { contactId: plain.id, categoryKey: 'no-such-category' },
    ]);
    expect(states.map((state) => state?.contact.id ?? null)).toEqual([bounced.id, null, plain.id, null]);
    expect(states[0]?.decisionInput.hardBounced).toBe(true);
    expect(states[2]?.decisionInput).toMatchObject({ hardBounced: false, categoryRequired: true });
    expect(await loadDeliveryStates(db, [])).toEqual([]);
  });
});
