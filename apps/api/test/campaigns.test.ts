import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';
import {
  campaignMessages,
  insertContacts,
  newRun,
  NEWSLETTER_DATA,
  waitForCampaign,
} from './support/campaigns.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { SCHEDULER_INTERVAL_MS: '100', CAMPAIGN_BATCH_SIZE: '10' } });
});
afterAll(async () => h?.close());

describe('a campaign from creation to sent', () => {
  it('fans out to the consenting audience and sends each one message with the campaign headers', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 12 });
    const create = await h.request('POST', '/v1/campaigns', {
      name: 'Smoke',
      template: 'newsletter',
      data: NEWSLETTER_DATA,
      audience: { categories: ['newsletter'], attributes: { run } },
      sendAt: new Date().toISOString(),
    });
    expect(create.status, JSON.stringify(create.body)).toBe(201);
    expect(create.body.status).toBe('scheduled');
    const done = await waitForCampaign(h, create.body.id, (c) => c.status === 'sent');
    expect(done.counts).toMatchObject({ targeted: 12, sent: 12, queued: 0 });
    const messages = await campaignMessages(h, create.body.id);
    expect(messages).toHaveLength(12);
    const caught = h.catcher.messages().filter((m) => contacts.some((c) => m.envelope.to.includes(c.email)));
    expect(caught).toHaveLength(12);
    expect(caught[0]?.header('feedback-id')).toBe(`${create.body.id}:newsletter:herald`);
  });
});
