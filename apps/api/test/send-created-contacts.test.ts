import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSigningKeys, updatePreferences, verifyToken } from '@herald/preferences';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';
import { campaignMessages, newRun, NEWSLETTER_DATA, waitForCampaign } from './support/campaigns.js';

/**
 * Issue 11, finding 12: a test send and POST /v1/messages `to: { email }` create contacts that must
 * not land in the next campaign. Such a contact (promotional_defaults false) is in no promotional
 * audience until it subscribes itself; a profile update through POST /v1/contacts is no consent.
 * And finding 10's revocation: POST /v1/contacts/:id/revoke-links moves the contact's token epoch.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { SCHEDULER_INTERVAL_MS: '100' } });
});
afterAll(async () => h?.close());

const SERVICE_NOTICE = { title: 'Maintenance', body: 'Read-only for 20 minutes.' };

async function contactIdOf(email: string): Promise<string> {
  const contact = await h.db.contact.findUniqueOrThrow({ where: { email }, select: { id: true } });
  return contact.id;
}

/** Tags a contact with the run through POST /v1/contacts (an update of an existing contact). */
async function tag(email: string, run: string) {
  const response = await h.request('POST', '/v1/contacts', { email, attributes: { run } });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body.id as string;
}

describe('contacts created by a send are in no promotional audience until they subscribe', () => {
  it('leaves a test-send address and a transactional recipient out of audiences and campaigns', async () => {
    const run = newRun();
    const audience = { categories: ['newsletter'], attributes: { run } };
    const draft = await h.request('POST', '/v1/campaigns', {
      name: `Newsletter ${run}`,
      template: 'newsletter',
      data: NEWSLETTER_DATA,
      audience,
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);

    // A colleague gets a test send: it arrives, and creates no marketing consent.
    const colleague = uniqueEmail('colleague');
    const test = await h.request('POST', `/v1/campaigns/${draft.body.id}/test-send`, { email: colleague });
    expect(test.status, JSON.stringify(test.body)).toBe(202);
    expect(await waitForStatus(h, test.body.id)).toMatchObject({ status: 'sent' });

    // A customer gets a service notice at a new address.
    const customer = uniqueEmail('customer');
    const notice = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: customer },
      data: SERVICE_NOTICE,
    });
    expect(notice.status, JSON.stringify(notice.body)).toBe(202);
    expect(await waitForStatus(h, notice.body.id)).toMatchObject({ status: 'sent' });

    // The company imports a subscriber; then tags all three with the run (an update for the first two).
    const imported = await tag(uniqueEmail('imported'), run);
    const colleagueId = await tag(colleague, run);
    const customerId = await tag(customer, run);
    expect([colleagueId, customerId]).toEqual([await contactIdOf(colleague), await contactIdOf(customer)]);

    const preview = await h.request('POST', '/v1/campaigns/audience-preview', {
      template: 'newsletter',
      audience,
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ size: 1, matching: 3, excluded: 2 });

    const scheduled = await h.request('POST', `/v1/campaigns/${draft.body.id}/schedule`, {
      sendAt: new Date().toISOString(),
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    const done = await waitForCampaign(h, draft.body.id, (c) => c.status === 'sent');
    expect(done.counts).toMatchObject({ targeted: 1, sent: 1 });
    expect((await campaignMessages(h, draft.body.id)).map((m) => m.contactId)).toEqual([imported]);

    // A newsletter sent to the customer directly is refused at send time: defaults are no consent.
    const direct = await h.request('POST', '/v1/messages', {
      template: 'newsletter',
      to: { contactId: customerId },
      data: NEWSLETTER_DATA,
    });
    expect(await waitForStatus(h, direct.body.id)).toMatchObject({
      status: 'suppressed',
      reason: 'no-consent',
    });

    // Once the customer subscribes in the preference center (a fresh newsletter link), the customer is in the audience.
    await updatePreferences(h.db, {
      contactId: customerId,
      changes: [{ categoryKey: 'newsletter', subscribed: true }],
      source: 'preference-center',
      link: {
        kind: 'preference-link',
        tokenEpoch: 0,
        issuedAt: new Date(),
        scope: { kind: 'category', categoryKey: 'newsletter' },
      },
    });
    const after = await h.request('POST', '/v1/campaigns/audience-preview', {
      template: 'newsletter',
      audience,
    });
    expect(after.body).toMatchObject({ size: 2, matching: 3 });
  });
});

describe('POST /v1/contacts/:id/revoke-links', () => {
  it('moves the token epoch, and later mail carries the new one', async () => {
    const email = uniqueEmail('revoked');
    const created = await h.request('POST', '/v1/contacts', { email });
    const first = await h.request('POST', `/v1/contacts/${created.body.id}/revoke-links`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ id: created.body.id, tokenEpoch: 1 });
    expect((await h.request('POST', `/v1/contacts/${created.body.id}/revoke-links`)).body.tokenEpoch).toBe(2);
    expect(
      (await h.request('POST', '/v1/contacts/0190a5d2-0000-7000-8000-000000000000/revoke-links')).status,
    ).toBe(404);

    const sent = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { contactId: created.body.id },
      data: SERVICE_NOTICE,
    });
    expect(await waitForStatus(h, sent.body.id)).toMatchObject({ status: 'sent' });
    const mail = await h.catcher.waitFor((m) => m.envelope.to.includes(email));
    const token = mail.header('list-unsubscribe')?.match(/\/u\/([^>]+)>/)?.[1] ?? '';
    expect(verifyToken(token, parseSigningKeys(h.env.HERALD_SECRET ?? ''))).toMatchObject({
      ok: true,
      payload: { contactId: created.body.id, tokenEpoch: 2 },
    });
  });
});
