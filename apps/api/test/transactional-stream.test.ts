import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';
import { insertContacts, newRun, NEWSLETTER_DATA } from './support/campaigns.js';

const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };
/** How many times the server said 421 to each campaign recipient. */
const throttled = new Map<string, number>();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: {
      SCHEDULER_INTERVAL_MS: '100',
      CAMPAIGN_BATCH_SIZE: '10',
      CAMPAIGN_CONCURRENCY: '1',
      // Few bulk workers and slots, as on a busy day: the campaign's retries take all of them.
      WORKER_CONCURRENCY: '2',
      SMTP_POOL_SIZE: '1',
      TRANSACTIONAL_CONCURRENCY: '2',
      TRANSACTIONAL_SMTP_SLOTS: '2',
      DELIVERY_ATTEMPTS: '20',
      DELIVERY_BACKOFF_MS: '100',
    },
    // The receiving server throttles the campaign's domain of recipients: 421 to every one of them.
    smtp: {
      rcptHandler: (address) => {
        if (!address.startsWith('throttled-')) return null;
        throttled.set(address, (throttled.get(address) ?? 0) + 1);
        return { code: 421, message: '4.7.0 Too many messages, slow down' };
      },
    },
  });
}, 60_000);
afterAll(async () => h?.close());

describe('transactional mail has a stream of its own', () => {
  it('sends a sign-in link while a throttled campaign keeps retrying', async () => {
    const run = newRun();
    await insertContacts(h, { run, count: 200, label: 'throttled' });
    const created = await h.request('POST', '/v1/campaigns', {
      name: `Throttled ${run}`,
      template: 'newsletter',
      data: NEWSLETTER_DATA,
      audience: { categories: ['newsletter'], attributes: { run } },
      ratePerSecond: 1,
      sendAt: new Date().toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const campaignId = created.body.id as string;

    // The campaign's messages are being retried one by one (each refused more than once).
    await vi.waitFor(
      () => expect([...throttled.values()].filter((n) => n >= 2).length).toBeGreaterThanOrEqual(2),
      { timeout: 20_000, interval: 100 },
    );

    const signIn = await h.request('POST', '/v1/messages', {
      template: 'security-sign-in',
      to: { email: uniqueEmail('sign-in') },
      data: SIGN_IN,
    });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(202);
    const message = await waitForStatus(h, signIn.body.id);
    expect(message.status).toBe('sent');
    expect(h.catcher.received.get(signIn.body.id)).toBe(1);

    // …while the campaign has not got anywhere: nothing of it sent, its messages still waiting.
    const campaign = (await h.request('GET', `/v1/campaigns/${campaignId}`)).body;
    expect(campaign.status).toBe('sending');
    expect(campaign.counts.sent).toBe(0);
    expect(campaign.counts.queued).toBeGreaterThan(0);
    const campaignMail = h.catcher.messages().filter((m) => m.envelope.to.some((to) => to.startsWith('throttled-')));
    expect(campaignMail).toHaveLength(0);

    const cancelled = await h.request('POST', `/v1/campaigns/${campaignId}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
  }, 60_000);
});
