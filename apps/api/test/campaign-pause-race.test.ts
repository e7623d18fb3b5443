import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_QUEUE } from '../src/campaigns/campaign-queue.js';
import { createCampaignStateCache } from '../src/campaigns/campaign-state-cache.js';
import { sendCampaignBatch } from '../src/campaigns/send-campaign-batch.js';
import { DeliveryContext } from '../src/delivery/delivery-context.js';
import { startHarness, type Harness } from './support/harness.js';
import {
  campaignMessages,
  insertContacts,
  newRun,
  NEWSLETTER_DATA,
  sleep,
  waitForCampaign,
} from './support/campaigns.js';

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

describe('a batch job that meets a resume its worker has not seen yet', () => {
  /**
   * The race, laid out step by step: the resume's re-enqueue has already put the queued messages in a
   * job, and that job runs while the worker's cache of campaign states (250 ms) still says paused. It
   * stops and leaves them queued; nothing else enqueues them unless the stop itself does.
   */
  it('leaves no queued message without a job: the campaign completes, each contact receiving one message', async () => {
    h.catcher.delay('mail', 400);
    try {
      const run = newRun();
      const contacts = await insertContacts(h, { run, count: 10 });
      const emails = new Set(contacts.map((c) => c.email));
      const id = await startCampaign(run);
      while (receivedBy(emails).length < 1) await sleep(20);
      expect((await h.request('POST', `/v1/campaigns/${id}/pause`)).body.status).toBe('paused');
      const worker = h.worker as NonNullable<Harness['worker']>;
      const campaignQueue = worker.get<Queue>(getQueueToken(CAMPAIGN_QUEUE), { strict: false });
      for (let i = 0; i < 100; i++) {
        const counts = await campaignQueue.getJobCounts();
        if (counts.waiting + counts.active + counts.delayed === 0) break;
        await sleep(50);
      }
      const queued = (await campaignMessages(h, id)).filter((m) => m.status === 'queued').map((m) => m.id);
      expect(queued.length).toBeGreaterThan(0);

      // What the worker's cache showed during the pause, kept past the resume.
      const stale = createCampaignStateCache(h.db, 60_000);
      expect((await stale(id))?.status).toBe('paused');
      const bulk = worker.get(DeliveryContext).streams.bulk;
      // The scheduler is held off (the campaign looks owned by the live worker) while the race is laid out.
      await h.db.campaign.update({ where: { id }, data: { ownerId: bulk.lease.workerId } });
      const { queueEpoch } = await h.db.campaign.findUniqueOrThrow({ where: { id } });
      h.catcher.delay('mail', 0);
      expect((await h.request('POST', `/v1/campaigns/${id}/resume`)).body.status).toBe('sending');
      // The resume's re-enqueue has run, under the current epoch, and made the job below.
      await h.db.campaign.update({ where: { id }, data: { queueEpoch } });
      const summary = await sendCampaignBatch(
        {
          ...bulk,
          campaigns: {
            state: stale,
            acquire: (campaignId, rate, wanted) => bulk.campaigns.acquire(campaignId, rate, wanted),
          },
        },
        { campaignId: id, messageIds: queued, isFinalAttempt: false },
      );
      expect(summary.parked).toBe(true);
      await h.db.campaign.update({ where: { id }, data: { ownerId: null } });

      const done = await waitForCampaign(h, id, (c) => c.status === 'sent', 15_000);
      expect(done.counts).toMatchObject({ targeted: 10, sent: 10, queued: 0 });
      const mails = receivedBy(emails);
      expect(mails).toHaveLength(10);
      expect(new Set(mails.map((m) => m.envelope.to[0])).size).toBe(10);
    } finally {
      h.catcher.delay('mail', 0);
    }
  });
});
