import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getQueueToken } from '@nestjs/bull';
import { startTcpProxy, type TcpProxy } from '@herald/test-support';
import type { Queue } from 'bull';
import { CAMPAIGN_QUEUE } from '../src/campaigns/campaign-queue.js';
import { DELIVERY_QUEUE } from '../src/delivery/delivery-queue.js';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';
import {
  createNewsletterCampaign,
  insertContacts,
  newRun,
  sleep,
  waitForCampaign,
} from './support/campaigns.js';

// Every stored message reaches a final state, even when Bull has given up on its job for good.
let h: Harness;
let proxy: TcpProxy;
beforeAll(async () => {
  h = await startHarness({
    env: {
      DELIVERY_ATTEMPTS: '2',
      DELIVERY_BACKOFF_MS: '50',
      RECONCILE_INTERVAL_MS: '1000',
      STALE_CLAIM_MS: '1000',
      SCHEDULER_INTERVAL_MS: '100',
      CAMPAIGN_BATCH_SIZE: '3',
    },
  });
  proxy = await startTcpProxy({ targetPort: Number(new URL(h.env.DATABASE_URL ?? '').port || 5432) });
  await h.startWorker({ DATABASE_URL: proxy.urlThrough(h.env.DATABASE_URL ?? '') });
});
afterAll(async () => {
  await h?.close();
  await proxy?.close();
});

const queue = (name: string) => h.worker?.get<Queue>(getQueueToken(name), { strict: false }) as Queue;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

describe('a message whose job failed for good', () => {
  it('is sent once the reconciler finds it still queued, although Bull keeps the failed job under its id', async () => {
    const email = uniqueEmail('lost');
    proxy.refuse();
    proxy.cut();
    const posted = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: { title: 'Maintenance', body: 'Read-only for 20 minutes.' },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    const id = posted.body.id as string;
    // Both attempts throw (the worker's database refuses connections): Bull marks the job failed.
    await until(
      'the job failed for good',
      async () => (await (await queue(DELIVERY_QUEUE).getJob(id))?.getState()) === 'failed',
    );
    expect((await h.request('GET', `/v1/messages/${id}`)).body.status).toBe('queued');

    proxy.accept();
    const settled = await waitForStatus(h, id, 25_000);
    expect(settled.status).toBe('sent');
    expect(h.catcher.messages().filter((m) => m.envelope.to.includes(email))).toHaveLength(1);
  });
});

describe('a campaign whose batch jobs Redis lost while keeping its epoch', () => {
  it('is re-driven by the age of its queued messages and completes, each recipient mailed once', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 5 });
    // This worker consumes no batch while the jobs are lost, as a Redis restored from an older snapshot would.
    await queue(CAMPAIGN_QUEUE).pause(true);
    const campaignId = await createNewsletterCampaign(h, run);
    await waitForCampaign(h, campaignId, (c) => c.fanOut.completedAt !== null);
    await queue(CAMPAIGN_QUEUE).empty();
    await queue(CAMPAIGN_QUEUE).resume(true);

    const done = await waitForCampaign(h, campaignId, (c) => c.status === 'sent');
    expect(done.counts).toMatchObject({ targeted: 5, queued: 0, sent: 5 });
    for (const contact of contacts) {
      expect(h.catcher.messages().filter((m) => m.envelope.to.includes(contact.email))).toHaveLength(1);
    }
  });
});
