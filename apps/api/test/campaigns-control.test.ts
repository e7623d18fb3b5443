import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';
import {
  campaignMessages,
  insertContacts,
  newRun,
  NEWSLETTER_DATA,
  sleep,
  waitForCampaign,
} from './support/campaigns.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { SCHEDULER_INTERVAL_MS: '100', CAMPAIGN_BATCH_SIZE: '5' } });
});
afterAll(async () => h?.close());

async function startCampaign(run: string, ratePerSecond: number) {
  const create = await h.request('POST', '/v1/campaigns', {
    name: `Controlled ${run}`,
    template: 'newsletter',
    data: NEWSLETTER_DATA,
    audience: { attributes: { run } },
    sendAt: new Date().toISOString(),
    ratePerSecond,
  });
  expect(create.status, JSON.stringify(create.body)).toBe(201);
  return create.body.id as string;
}

const receivedBy = (emails: Set<string>) =>
  h.catcher.messages().filter((m) => m.envelope.to.some((to) => emails.has(to)));

describe('pause, resume and cancel', () => {
  it('pauses within a second, decides again at send time after the resume, and finishes once', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 40 });
    const emails = new Set(contacts.map((c) => c.email));
    const id = await startCampaign(run, 10);
    while (receivedBy(emails).length < 5) await sleep(50);

    const paused = await h.request('POST', `/v1/campaigns/${id}/pause`);
    // The pause answers once the sends already in SMTP are done: from then on no message of the
    // campaign starts its SMTP transaction (those claimed and waiting for a slot go back to queued).
    const atPause = receivedBy(emails).length;
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body.status).toBe('paused');
    await vi.waitFor(
      async () =>
        expect((await campaignMessages(h, id)).filter((m) => m.status === 'sending')).toHaveLength(0),
      { timeout: 10_000, interval: 50 },
    );
    await sleep(1500);
    expect(receivedBy(emails).length).toBe(atPause);
    expect(atPause).toBeLessThan(40);

    // Someone opts out while the campaign is paused: the worker's send-time decision catches it.
    const waiting = (await campaignMessages(h, id)).filter((m) => m.status === 'queued');
    expect(waiting.length).toBeGreaterThan(0);
    const late = contacts.find((c) => c.id === waiting[0]?.contactId);
    await h.request('PUT', `/v1/contacts/${late!.id}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: false }],
      reason: 'replied STOP',
    });

    expect((await h.request('POST', `/v1/campaigns/${id}/resume`)).body.status).toBe('sending');
    const done = await waitForCampaign(h, id, (c) => c.status === 'sent', 30_000);
    expect(done.counts).toMatchObject({ targeted: 40, sent: 39, suppressed: 1, queued: 0 });
    expect(done.counts.suppressedByReason).toEqual({ 'category-opt-out': 1 });
    const mails = receivedBy(emails);
    expect(mails).toHaveLength(39);
    expect(new Set(mails.map((m) => m.envelope.to[0])).size).toBe(39);
    expect(mails.some((m) => m.envelope.to.includes(late!.email))).toBe(false);
  });

  it('cancels: nothing more is sent and every targeted contact ends with one final status', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 30 });
    const emails = new Set(contacts.map((c) => c.email));
    const id = await startCampaign(run, 10);
    while (receivedBy(emails).length < 3) await sleep(50);

    const cancelled = await h.request('POST', `/v1/campaigns/${id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    // Completed: every message is final (sent, or suppressed by the cancel), so the SMTP count is final.
    const done = await waitForCampaign(h, id, (c) => c.completedAt !== null);
    const atCancel = receivedBy(emails).length;
    expect(atCancel).toBeLessThan(30);
    expect(done.counts.targeted).toBe(30);
    expect(done.counts.sent).toBe(atCancel);
    expect(done.counts.suppressed).toBe(30 - atCancel);
    expect(done.counts.suppressedByReason).toEqual({ 'campaign-cancelled': 30 - atCancel });
    const messages = await campaignMessages(h, id);
    expect(new Set(messages.map((m) => m.contactId)).size).toBe(30);
    expect(messages.every((m) => m.status === 'sent' || m.status === 'suppressed')).toBe(true);

    const resume = await h.request('POST', `/v1/campaigns/${id}/resume`);
    expect(resume.status).toBe(409);
  });
});

describe('rate', () => {
  it('never sends faster than ratePerSecond', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 30 });
    const emails = new Set(contacts.map((c) => c.email));
    const id = await startCampaign(run, 10);
    await waitForCampaign(h, id, (c) => c.status === 'sent', 30_000);
    const times = receivedBy(emails)
      .map((m) => m.receivedAt)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(30);
    // Tokens allow at most 11 grants in any second (10/s plus a burst of one); receipts can bunch up a
    // little more than grants (a slow render delays one message, not the next), hence the margin.
    // Unlimited, all 30 would arrive within a few tens of milliseconds.
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(15);
    }
  });
});
