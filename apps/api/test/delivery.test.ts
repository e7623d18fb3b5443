import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Bull from 'bull';
import { hashAddress } from '@herald/preferences';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

const NEWSLETTER = {
  headline: 'Spring news',
  intro: 'What changed this month.',
  articles: [{ title: 'Faster sends', summary: 'We made sending faster.', url: 'https://example.com/a' }],
};
const NOTICE = { title: 'Maintenance window', body: 'We will be read-only for 20 minutes on Saturday.' };
const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    smtp: { unknownPrefixes: ['bounce-'] },
  });
});
afterAll(async () => h?.close());

async function send(template: string, to: object, data: object, idempotencyKey?: string) {
  const response = await h.request('POST', '/v1/messages', {
    template,
    to,
    data,
    ...(idempotencyKey && { idempotencyKey }),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  expect(response.body.status).toBe('queued');
  return response.body.id as string;
}

describe('the transactional delivery path: API → Redis → worker → SMTP', () => {
  it('delivers a service notice with the headers, class, category and both parts', async () => {
    const email = uniqueEmail('notice');
    const id = await send('service-notice', { email }, NOTICE);
    const caught = await h.catcher.waitFor((m) => m.heraldMessageId === id);
    const mail = await caught.parse();

    expect(caught.envelope.to).toEqual([email]);
    expect(caught.header('x-herald-class')).toBe('transactional');
    expect(caught.header('x-herald-category')).toBe('service-notices');
    expect(caught.header('message-id')).toBe(`<${id}@mail.example.test>`);
    const listUnsubscribe = caught.header('list-unsubscribe') ?? '';
    expect(listUnsubscribe).toMatch(
      /^<https:\/\/prefs\.example\.test\/u\/[A-Za-z0-9_-]+>, <mailto:unsubscribe\+[a-z2-7]+@mail\.example\.test>$/,
    );
    expect(caught.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(caught.header('list-id')).toBe('<service-notices.mail.example.test>');
    expect(caught.header('feedback-id')).toBe('tx:service-notices:herald');
    expect(mail.subject).toContain('Maintenance window');
    expect(mail.html).toContain('read-only for 20 minutes');
    expect(mail.text).toContain('read-only for 20 minutes');

    const message = await waitForStatus(h, id);
    expect(message).toMatchObject({ status: 'sent', class: 'transactional', category: 'service-notices' });
    expect(message.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'sent']);
  });

  it('sends required security mail to a contact who opted out of everything, and suppresses the rest with reasons', async () => {
    const contact = await h.request('POST', '/v1/contacts', {
      email: uniqueEmail('optout'),
      name: 'Opted Out',
    });
    const contactId = contact.body.id as string;
    const change = await h.request('PUT', `/v1/contacts/${contactId}/preferences`, {
      changes: [{ category: 'service-notices', subscribed: false }],
      allPromotional: false,
      reason: 'Asked by phone to stop all optional mail',
    });
    expect(change.status, JSON.stringify(change.body)).toBe(200);

    const securityId = await send('security-sign-in', { contactId }, SIGN_IN);
    const noticeId = await send('service-notice', { contactId }, NOTICE);
    const newsletterId = await send('newsletter', { contactId }, NEWSLETTER);

    const security = await h.catcher.waitFor((m) => m.heraldMessageId === securityId);
    expect(security.header('x-herald-category')).toBe('security');
    expect(security.header('list-unsubscribe')).toBeUndefined();
    expect(await waitForStatus(h, securityId)).toMatchObject({ status: 'sent' });
    expect(await waitForStatus(h, noticeId)).toMatchObject({
      status: 'suppressed',
      reason: 'category-opt-out',
    });
    expect(await waitForStatus(h, newsletterId)).toMatchObject({
      status: 'suppressed',
      reason: 'all-promotional-opt-out',
    });
    const received = h.catcher
      .messages()
      .filter((m) => [noticeId, newsletterId].includes(m.heraldMessageId ?? ''));
    expect(received).toEqual([]);
  });

  it('decides at send time: an opt-out made while the message waits in the queue stops it', async () => {
    await h.stopWorker();
    const contact = await h.request('POST', '/v1/contacts', { email: uniqueEmail('late') });
    const contactId = contact.body.id as string;
    const newsletterId = await send('newsletter', { contactId }, NEWSLETTER);
    await h.request('PUT', `/v1/contacts/${contactId}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: false }],
      reason: 'Unsubscribed by email reply',
    });
    await h.startWorker();
    expect(await waitForStatus(h, newsletterId)).toMatchObject({
      status: 'suppressed',
      reason: 'category-opt-out',
    });
    expect(h.catcher.messages().some((m) => m.heraldMessageId === newsletterId)).toBe(false);
  });

  it('marks a 5xx recipient reply bounced, suppresses the address and logs it, then blocks later mail', async () => {
    const email = uniqueEmail('bounce');
    const id = await send('service-notice', { email }, NOTICE);
    const message = await waitForStatus(h, id);
    expect(message.status).toBe('bounced');
    expect(message.reason).toContain('550');

    const suppression = await h.db.suppression.findFirst({ where: { addressHash: hashAddress(email) } });
    expect(suppression?.reason).toBe('hard_bounce');
    const log = await h.request('GET', `/v1/contacts/${message.contactId}/consent-log`);
    expect(log.body.entries).toEqual([
      expect.objectContaining({ action: 'suppress', source: 'bounce', messageId: id }),
    ]);

    const later = await send('security-sign-in', { email }, SIGN_IN);
    expect(await waitForStatus(h, later)).toMatchObject({ status: 'suppressed', reason: 'hard-bounce' });
  });

  it('sends a message at most once even when its job runs several times', async () => {
    await h.stopWorker();
    const id = await send('service-notice', { email: uniqueEmail('once') }, NOTICE);
    const queue = new Bull('delivery', h.env.REDIS_URL as string, { prefix: h.env.HERALD_QUEUE_PREFIX });
    const jobs = await queue.addBulk(
      [1, 2, 3].map((n) => ({
        name: 'send-message',
        data: { version: 1, messageId: id },
        opts: { jobId: `${id}:dup${n}` },
      })),
    );
    await h.startWorker();
    expect(await waitForStatus(h, id)).toMatchObject({ status: 'sent' });
    // Every copy of the job has run: only then is the count at the SMTP server final.
    await vi.waitFor(
      async () => {
        for (const job of jobs) {
          const state = await (await queue.getJob(job.id))?.getState();
          expect(
            state === undefined || state === 'completed' || state === 'failed',
            `${job.id} ${state}`,
          ).toBe(true);
        }
      },
      { timeout: 15_000, interval: 50 },
    );
    await queue.close();
    expect(h.catcher.messages().filter((m) => m.heraldMessageId === id)).toHaveLength(1);
  });

  it('returns the same message for the same idempotency key and refuses the key for another message', async () => {
    const email = uniqueEmail('idem');
    const key = `idem-${Date.now()}-${Math.random()}`;
    const first = await send('service-notice', { email }, NOTICE, key);
    await waitForStatus(h, first);
    const second = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: NOTICE,
      idempotencyKey: key,
    });
    expect(second.status).toBe(202);
    expect(second.body).toEqual({ id: first, status: 'sent' });
    const reused = await h.request('POST', '/v1/messages', {
      template: 'security-sign-in',
      to: { email },
      data: SIGN_IN,
      idempotencyKey: key,
    });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    await waitForStatus(h, first);
    expect(h.catcher.messages().filter((m) => m.heraldMessageId === first)).toHaveLength(1);
  });
});
