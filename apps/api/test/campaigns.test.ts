import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnsubscribe, suppressAddress } from '@herald/preferences';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';
import {
  campaignMessages,
  insertContacts,
  newRun,
  NEWSLETTER_DATA,
  waitForCampaign,
} from './support/campaigns.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: { SCHEDULER_INTERVAL_MS: '100', CAMPAIGN_BATCH_SIZE: '4' },
    smtp: { unknownPrefixes: ['bounce-'] },
  });
});
afterAll(async () => h?.close());

const campaignBody = (run: string, extra: object = {}) => ({
  name: `Newsletter ${run}`,
  template: 'newsletter',
  data: NEWSLETTER_DATA,
  audience: { categories: ['newsletter'], locales: ['en'], attributes: { run } },
  ...extra,
});

describe('a campaign reaches its consenting audience once, and the counts say what happened', () => {
  it('previews the audience, fans out without opted-out, suppressed or erased contacts, sends each one message', async () => {
    const run = newRun();
    const plain = await insertContacts(h, { run, count: 8 });
    const [british] = await insertContacts(h, { run, count: 1, locale: 'en-GB', label: 'gb' });
    await insertContacts(h, { run, count: 2, locale: 'fr', label: 'fr' });
    await insertContacts(h, { run: newRun(), count: 2, label: 'other-run' });
    const [optedOut, allPromo, bounced, erased] = await insertContacts(h, { run, count: 4, label: 'gone' });
    await h.request('PUT', `/v1/contacts/${optedOut?.id}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: false }],
      reason: 'asked by phone',
    });
    await h.request('PUT', `/v1/contacts/${allPromo?.id}/preferences`, {
      changes: [],
      allPromotional: false,
      reason: 'no marketing at all',
    });
    await suppressAddress(h.db, { email: bounced!.email, reason: 'hard-bounce', source: 'bounce' });
    expect((await h.request('DELETE', `/v1/contacts/${erased?.id}`)).status).toBe(200);

    const preview = await h.request('POST', '/v1/campaigns/audience-preview', {
      template: 'newsletter',
      audience: { locales: ['en'], attributes: { run } },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    // Erased contacts have no address left, so they do not even match; the other three are excluded by consent.
    expect(preview.body).toMatchObject({ size: 9, matching: 12, excluded: 3 });
    expect(preview.body.audience.categories).toEqual(['newsletter']);

    const create = await h.request(
      'POST',
      '/v1/campaigns',
      campaignBody(run, { sendAt: new Date().toISOString() }),
    );
    expect(create.status, JSON.stringify(create.body)).toBe(201);
    expect(create.body).toMatchObject({
      status: 'scheduled',
      template: 'newsletter',
      category: 'newsletter',
    });

    const done = await waitForCampaign(h, create.body.id, (c) => c.status === 'sent');
    expect(done.counts).toMatchObject({ targeted: 9, queued: 0, sent: 9, suppressed: 0, failed: 0 });
    expect(done.fanOut.completedAt).not.toBeNull();
    const targetedContacts = (await campaignMessages(h, create.body.id)).map((m) => m.contactId).sort();
    expect(targetedContacts).toEqual([...plain, british].map((c) => c!.id).sort());

    for (const contact of [...plain, british]) {
      const mails = h.catcher.messages().filter((m) => m.envelope.to.includes(contact!.email));
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.header('x-herald-class')).toBe('promotional');
      expect(mail.header('feedback-id')).toBe(`${create.body.id}:newsletter:herald`);
      expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      const parsed = await mail.parse();
      expect(parsed.html).toContain('Campaign news');
      expect(parsed.html).toContain(`Reader ${contact!.email.split('@')[0]}`);
    }
  });

  it('attributes unsubscribes and bounces to the campaign', async () => {
    const run = newRun();
    const [reader] = await insertContacts(h, { run, count: 1 });
    const [bouncer] = await insertContacts(h, { run, count: 1, label: 'bounce' });
    const create = await h.request(
      'POST',
      '/v1/campaigns',
      campaignBody(run, { sendAt: new Date().toISOString() }),
    );
    const id = create.body.id as string;
    const sent = await waitForCampaign(h, id, (c) => c.status === 'sent');
    expect(sent.counts).toMatchObject({ targeted: 2, sent: 1, bounced: 1 });

    const messages = await campaignMessages(h, id);
    const messageOf = (contactId: string) => messages.find((m) => m.contactId === contactId)!;
    expect(messageOf(bouncer!.id).status).toBe('bounced');
    await applyUnsubscribe(h.db, {
      contactId: reader!.id,
      scope: { kind: 'category', categoryKey: 'newsletter' },
      source: 'one-click',
      // As the one-click route does: the token names the message; its campaign is looked up.
      messageId: messageOf(reader!.id).id,
    });
    const { body } = await h.request('GET', `/v1/campaigns/${id}`);
    expect(body.counts).toMatchObject({ sent: 1, bounced: 1, unsubscribed: 1, complained: 0 });
  });
});

describe('drafts, previews, test sends, listing and the timeline', () => {
  it('keeps a draft until it is scheduled, previews it and test-sends it outside the campaign', async () => {
    const run = newRun();
    const [contact] = await insertContacts(h, { run, count: 1 });
    const draft = await h.request('POST', '/v1/campaigns', campaignBody(run));
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', sendAt: null });
    const id = draft.body.id as string;

    const sample = await h.request('POST', `/v1/campaigns/${id}/preview`, {});
    expect(sample.status).toBe(200);
    expect(sample.body.html).toContain('Campaign news');
    expect(sample.body.html).toContain('Alex Example');
    const personal = await h.request('POST', `/v1/campaigns/${id}/preview`, { contactId: contact!.id });
    expect(personal.body.html).toContain(`Reader ${contact!.email.split('@')[0]}`);
    expect(personal.body.html).toContain('https://prefs.example.test/preferences/');

    const tester = uniqueEmail('marketer');
    const test = await h.request('POST', `/v1/campaigns/${id}/test-send`, { email: tester });
    expect(test.status, JSON.stringify(test.body)).toBe(202);
    expect(await waitForStatus(h, test.body.id)).toMatchObject({ status: 'sent', campaignId: null });
    const testMail = await h.catcher.waitFor((m) => m.envelope.to.includes(tester));
    expect((await testMail.parse()).html).toContain('Campaign news');

    expect((await h.request('GET', `/v1/campaigns/${id}`)).body.counts.targeted).toBe(0);
    const scheduled = await h.request('POST', `/v1/campaigns/${id}/schedule`, {
      sendAt: new Date().toISOString(),
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    expect(scheduled.body.status).toBe('scheduled');
    const done = await waitForCampaign(h, id, (c) => c.status === 'sent');
    expect(done.counts).toMatchObject({ targeted: 1, sent: 1 });

    const again = await h.request('POST', `/v1/campaigns/${id}/schedule`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'invalid_transition', details: { status: 'sent' } });

    const list = await h.request('GET', '/v1/campaigns?status=sent&limit=100');
    expect(list.status).toBe(200);
    expect(list.body.campaigns.find((c: { id: string }) => c.id === id)).toMatchObject({
      status: 'sent',
      counts: { sent: 1 },
    });

    const timeline = await h.request('GET', `/v1/campaigns/${id}/timeline?bucket=60`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.bucketSeconds).toBe(60);
    expect(timeline.body.points.reduce((sum: number, p: { sent: number }) => sum + p.sent, 0)).toBe(1);
  });
});
