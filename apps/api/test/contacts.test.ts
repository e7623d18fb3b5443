import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAddress } from '@herald/preferences';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('contacts', () => {
  it('creates, updates by email, reads and patches a contact', async () => {
    const email = uniqueEmail('case');
    const created = await h.request('POST', '/v1/contacts', {
      email: email.toUpperCase(),
      name: 'Ada',
      locale: 'en-GB',
      timezone: 'Europe/London',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email,
      name: 'Ada',
      locale: 'en-GB',
      timezone: 'Europe/London',
      erased: false,
    });
    const again = await h.request('POST', '/v1/contacts', { email, attributes: { plan: 'pro' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: created.body.id, name: 'Ada', attributes: { plan: 'pro' } });
    const patched = await h.request('PATCH', `/v1/contacts/${created.body.id}`, { name: 'Ada L.' });
    expect(patched.body.name).toBe('Ada L.');
    expect((await h.request('GET', `/v1/contacts/${created.body.id}`)).body.name).toBe('Ada L.');
  });

  it('refuses an externalId that belongs to another contact', async () => {
    const externalId = `ext-${Date.now()}-${Math.random()}`;
    await h.request('POST', '/v1/contacts', { email: uniqueEmail('e1'), externalId });
    const clash = await h.request('POST', '/v1/contacts', { email: uniqueEmail('e2'), externalId });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('conflict');
  });

  it('shows preferences, records a support agent’s change with its reason, and refuses to unsubscribe a required category', async () => {
    const { body: contact } = await h.request('POST', '/v1/contacts', { email: uniqueEmail('prefs') });
    const prefs = await h.request('GET', `/v1/contacts/${contact.id}/preferences`);
    expect(prefs.body.allPromotional).toEqual({ subscribed: true });
    const security = prefs.body.categories.find((c: { key: string }) => c.key === 'security');
    expect(security).toMatchObject({
      class: 'transactional',
      required: true,
      subscribed: true,
      locked: true,
    });

    const change = await h.request('PUT', `/v1/contacts/${contact.id}/preferences`, {
      changes: [
        { category: 'newsletter', subscribed: false },
        { category: 'product-news', subscribed: false },
      ],
      reason: 'Customer asked by phone',
      actor: 'agent-7',
    });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    const log = await h.request('GET', `/v1/contacts/${contact.id}/consent-log`);
    expect(log.body.entries).toHaveLength(2);
    expect(log.body.entries[0]).toMatchObject({
      action: 'unsubscribe',
      source: 'admin',
      actor: 'agent-7',
      reason: 'Customer asked by phone',
    });

    const required = await h.request('PUT', `/v1/contacts/${contact.id}/preferences`, {
      changes: [
        { category: 'security', subscribed: false },
        { category: 'promotions', subscribed: false },
      ],
      reason: 'Wants nothing at all',
    });
    expect(required.status).toBe(422);
    expect(required.body.error.message).toContain('security');
    expect((await h.request('GET', `/v1/contacts/${contact.id}/consent-log`)).body.entries).toHaveLength(2);

    const noReason = await h.request('PUT', `/v1/contacts/${contact.id}/preferences`, {
      changes: [{ category: 'promotions', subscribed: false }],
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('reason');
  });

  it('erases personal data but keeps the address suppressed and the consent log', async () => {
    const email = uniqueEmail('erase');
    const { body: contact } = await h.request('POST', '/v1/contacts', { email, name: 'Leaving Soon' });
    await h.request('PUT', `/v1/contacts/${contact.id}/preferences`, {
      allPromotional: false,
      reason: 'Asked to leave',
    });
    const erased = await h.request('DELETE', `/v1/contacts/${contact.id}`);
    expect(erased.status).toBe(200);
    const read = await h.request('GET', `/v1/contacts/${contact.id}`);
    expect(read.body).toMatchObject({ email: null, name: null, erased: true });
    const suppression = await h.db.suppression.findFirst({
      where: { addressHash: hashAddress(email), reason: 'erasure' },
    });
    expect(suppression).not.toBeNull();
    const log = await h.request('GET', `/v1/contacts/${contact.id}/consent-log`);
    expect(log.body.entries.length).toBeGreaterThanOrEqual(1);
  });
});
