import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '@herald/test-support';
import { addSubscriber, startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';
import {
  createNewsletterCampaign,
  insertContacts,
  NEWSLETTER_DATA,
  newRun,
  waitForCampaign,
} from './support/campaigns.js';

/**
 * Promotional mail has a relay of its own: with PROMOTIONAL_SMTP_URL set, newsletters (a campaign's
 * and one sent through POST /v1/messages) reach that server, from PROMOTIONAL_MAIL_FROM, and
 * transactional mail (a service notice, a sign-in link, a policy announcement, which travels on the
 * bulk queue beside campaigns) reaches SMTP_URL's server, from MAIL_FROM; and a promotional relay that
 * is down holds newsletters only.
 */
const MAIL_FROM = 'Herald <no-reply@mail.example.test>';
const PROMOTIONAL_MAIL_FROM = 'Herald News <news@news.example.test>';
const NOTICE = { title: 'Maintenance window', body: 'Read-only for 20 minutes.' };
const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };
const DAY_MS = 24 * 60 * 60 * 1000;

let promotional: TestSmtpServer;
let h: Harness;
beforeAll(async () => {
  promotional = await startTestSmtpServer();
  h = await startHarness({
    worker: true,
    env: {
      MAIL_FROM,
      PROMOTIONAL_SMTP_URL: promotional.smtpUrl,
      PROMOTIONAL_MAIL_FROM,
      SCHEDULER_INTERVAL_MS: '100',
      HERALD_POLICY_SWEEP_INTERVAL_MS: '200',
      DELIVERY_ATTEMPTS: '10',
      DELIVERY_BACKOFF_MS: '50',
      SMTP_BREAKER_THRESHOLD: '2',
      SMTP_BREAKER_PROBE_MS: '300',
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await promotional?.close();
});

async function send(template: string, data: object): Promise<string> {
  const email = uniqueEmail();
  if (template === 'newsletter') await addSubscriber(h, email);
  const response = await h.request('POST', '/v1/messages', { template, to: { email }, data });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.id as string;
}

const health = () => h.request('GET', '/health', undefined, { authorization: '' });

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Where each message arrived: 'promotional', 'transactional', both or neither, and from whom. */
function arrival(id: string) {
  const at = (server: TestSmtpServer) => server.messages().filter((m) => m.heraldMessageId === id);
  const [tx, promo] = [at(h.catcher), at(promotional)];
  return {
    transactional: tx.length,
    promotional: promo.length,
    from: [...tx, ...promo].map((m) => m.header('from')),
  };
}

describe('the promotional relay', () => {
  it('carries newsletters from PROMOTIONAL_MAIL_FROM; service notices and policy announcements go through SMTP_URL', async () => {
    const run = newRun();
    await insertContacts(h, { run, count: 3, label: 'promo' });
    const campaignId = await createNewsletterCampaign(h, run);
    const newsletterId = await send('newsletter', NEWSLETTER_DATA);
    const noticeId = await send('service-notice', NOTICE);
    const policy = await h.request('POST', '/v1/policies', {
      version: `streams-${Date.now().toString(36)}`,
      title: 'Privacy Policy',
      summary: 'We now keep support conversations for 12 months instead of 24.',
      url: 'https://example.com/legal/privacy/2027',
      effectiveAt: new Date(Date.now() + 40 * DAY_MS).toISOString(),
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    expect((await h.request('POST', `/v1/policies/${policy.body.id}/announce`, {})).status).toBe(202);

    await waitForCampaign(h, campaignId, (c) => c.status === 'sent');
    expect(await waitForStatus(h, newsletterId)).toMatchObject({ status: 'sent' });
    expect(await waitForStatus(h, noticeId)).toMatchObject({ status: 'sent' });
    const coverage = await until(
      async () => (await h.request('GET', `/v1/policies/${policy.body.id}/coverage`)).body,
      (body) => body.fanOutDone && body.awaitingNotice === 0 && body.pending === 0,
    );
    expect(coverage.delivered).toBeGreaterThanOrEqual(3);

    const campaignIds = (await h.db.message.findMany({ where: { campaignId }, select: { id: true } })).map(
      (m) => m.id,
    );
    expect(campaignIds).toHaveLength(3);
    for (const id of [...campaignIds, newsletterId]) {
      expect(arrival(id)).toEqual({ transactional: 0, promotional: 1, from: [PROMOTIONAL_MAIL_FROM] });
    }
    const announced = await h.db.notice.findMany({ where: { policyVersionId: policy.body.id } });
    const announcementIds = announced.flatMap((notice) => (notice.messageId ? [notice.messageId] : []));
    expect(announcementIds.length).toBe(coverage.delivered);
    for (const id of [noticeId, ...announcementIds]) {
      expect(arrival(id)).toEqual({ transactional: 1, promotional: 0, from: [MAIL_FROM] });
    }
  });

  it('when down, holds newsletters only: sign-in links and notices still go, /health names the promotional relay', async () => {
    await promotional.refuseConnections();
    let refusing = true;
    try {
      const newsletterId = await send('newsletter', NEWSLETTER_DATA);
      const down = await until(health, (answer) => answer.body.promotionalSmtp === 'unavailable');
      expect(down).toEqual({
        status: 200,
        body: {
          status: 'degraded',
          database: 'ok',
          redis: 'ok',
          promotionalSmtp: 'unavailable',
          promotionalSmtpUnavailableSince: expect.any(String),
        },
      });

      // With the promotional relay's breaker open, transactional mail goes through its own relay.
      const signInId = await send('security-sign-in', SIGN_IN);
      const noticeId = await send('service-notice', NOTICE);
      expect(await waitForStatus(h, signInId)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(await waitForStatus(h, noticeId)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(arrival(signInId)).toMatchObject({ transactional: 1, promotional: 0 });
      // The newsletter is held (tried again now and then, never failed), and has reached no server.
      const held = await h.request('GET', `/v1/messages/${newsletterId}`);
      expect(['queued', 'sending']).toContain(held.body.status);
      expect(held.body.events.map((e: { type: string }) => e.type)).not.toContain('failed');
      expect(arrival(newsletterId)).toMatchObject({ transactional: 0, promotional: 0 });

      await promotional.acceptConnections();
      refusing = false;
      expect(await waitForStatus(h, newsletterId, 20_000)).toMatchObject({ status: 'sent' });
      expect(arrival(newsletterId)).toEqual({
        transactional: 0,
        promotional: 1,
        from: [PROMOTIONAL_MAIL_FROM],
      });
      expect(await until(health, (answer) => answer.body.status === 'ok')).toEqual({
        status: 200,
        body: { status: 'ok', database: 'ok', redis: 'ok' },
      });
    } finally {
      if (refusing) await promotional.acceptConnections();
    }
  });
});
