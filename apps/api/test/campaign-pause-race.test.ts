import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';
import { insertContacts, newRun, NEWSLETTER_DATA, sleep, waitForCampaign } from './support/campaigns.js';

/**
 * One pooled SMTP connection that holds MAIL FROM back: most of a campaign's claimed messages wait
 * for a send slot (past the campaign gate, not yet sending) when the pause lands.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: { SCHEDULER_INTERVAL_MS: '100', CAMPAIGN_BATCH_SIZE: '10', SMTP_POOL_SIZE: '1' },
  });
});
afterAll(async () => h?.close());

async function startCampaign(run: string) {
  const create = await h.request('POST', '/v1/campaigns', {
    name: `Pause race ${run}`,
    template: 'newsletter',
    data: NEWSLETTER_DATA,
    audience: { attributes: { run } },
    sendAt: new Date().toISOString(),
  });
  expect(create.status, JSON.stringify(create.body)).toBe(201);
  return create.body.id as string;
}

const receivedBy = (emails: Set<string>) =>
  h.catcher.messages().filter((m) => m.envelope.to.some((to) => emails.has(to)));

describe('pausing a campaign whose messages wait for a send slot', () => {
  it('starts no SMTP transaction after the pause answered', async () => {
    h.catcher.delay('mail', 400);
    try {
      const run = newRun();
      const contacts = await insertContacts(h, { run, count: 20 });
      const emails = new Set(contacts.map((c) => c.email));
      const id = await startCampaign(run);
      while (receivedBy(emails).length < 1) await sleep(20);

      const paused = await h.request('POST', `/v1/campaigns/${id}/pause`);
      const answeredAt = Date.now();
      expect(paused.body.status).toBe('paused');
      await sleep(1500);
      const mails = receivedBy(emails);
      expect(mails.filter((m) => m.receivedAt > answeredAt)).toEqual([]);
      expect(mails.length).toBeLessThan(20);
      const { body } = await h.request('GET', `/v1/campaigns/${id}`);
      expect(body.counts).toMatchObject({ targeted: 20, sent: mails.length, queued: 20 - mails.length });

      h.catcher.delay('mail', 0);
      expect((await h.request('POST', `/v1/campaigns/${id}/resume`)).body.status).toBe('sending');
      const done = await waitForCampaign(h, id, (c) => c.status === 'sent', 20_000);
      expect(done.counts).toMatchObject({ targeted: 20, sent: 20, queued: 0 });
      expect(new Set(receivedBy(emails).map((m) => m.envelope.to[0])).size).toBe(20);
      expect(receivedBy(emails)).toHaveLength(20);
    } finally {
      h.catcher.delay('mail', 0);
    }
  });

  it('completes once, every contact receiving one message, when resumed 200 ms after each pause', async () => {
    h.catcher.delay('mail', 100);
    try {
      const run = newRun();
      const contacts = await insertContacts(h, { run, count: 30 });
      const emails = new Set(contacts.map((c) => c.email));
      const id = await startCampaign(run);
      while (receivedBy(emails).length < 1) await sleep(20);
      for (let round = 0; round < 4; round++) {
        expect((await h.request('POST', `/v1/campaigns/${id}/pause`)).body.status).toBe('paused');
        await sleep(200);
        expect((await h.request('POST', `/v1/campaigns/${id}/resume`)).body.status).toBe('sending');
        await sleep(300);
      }
      const done = await waitForCampaign(h, id, (c) => c.status === 'sent', 25_000);
      expect(done.counts).toMatchObject({ targeted: 30, sent: 30, queued: 0 });
      const mails = receivedBy(emails);
      expect(mails).toHaveLength(30);
      expect(new Set(mails.map((m) => m.envelope.to[0])).size).toBe(30);
    } finally {
      h.catcher.delay('mail', 0);
    }
  });
});
