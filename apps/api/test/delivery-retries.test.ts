import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

const NOTICE = { title: 'Your export is ready', body: 'Download it within 7 days.' };
const rejections = new Map<string, number>();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: { DELIVERY_ATTEMPTS: '5', DELIVERY_BACKOFF_MS: '50' },
    // The first two RCPT TO for a "flaky-" address get a temporary 451, like a greylisting server.
    smtp: {
      rcptHandler: (address) => {
        if (!address.startsWith('flaky-')) return null;
        const seen = rejections.get(address) ?? 0;
        rejections.set(address, seen + 1);
        return seen < 2 ? { code: 451, message: '4.7.1 Greylisted, try again later' } : null;
      },
    },
  });
});
afterAll(async () => h?.close());

describe('temporary failures', () => {
  it('retries a 4xx reply with backoff and delivers exactly once', async () => {
    const email = uniqueEmail('flaky');
    const sent = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: NOTICE,
    });
    const message = await waitForStatus(h, sent.body.id);
    expect(message.status).toBe('sent');
    expect(message.events.map((e: { type: string }) => e.type)).toEqual([
      'queued',
      'deferred',
      'deferred',
      'sent',
    ]);
    expect(message.attempts).toBe(3);
    expect(rejections.get(email)).toBe(3);
    expect(h.catcher.messages().filter((m) => m.heraldMessageId === sent.body.id)).toHaveLength(1);
  });

  it('retries a refused connection and fails the message after the last attempt, without suppressing', async () => {
    // The mail server goes down: open connections dropped, new ones refused. The attempts are the
    // job's (DELIVERY_ATTEMPTS=5 when the API enqueued it).
    await h.catcher.refuseConnections();
    const email = uniqueEmail('refused');
    const sent = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: NOTICE,
    });
    const message = await waitForStatus(h, sent.body.id, 20_000);
    expect(message.status).toBe('failed');
    expect(message.reason).toMatch(/ECONNREFUSED|connect/i);
    expect(message.events.map((e: { type: string }) => e.type)).toEqual([
      'queued',
      'deferred',
      'deferred',
      'deferred',
      'deferred',
      'failed',
    ]);
    const suppressions = await h.db.suppression.count({ where: { contactId: message.contactId } });
    expect(suppressions).toBe(0);

    // Back on the same port, the same worker delivers again.
    await h.catcher.acceptConnections();
    const next = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: uniqueEmail('back') },
      data: NOTICE,
    });
    expect(await waitForStatus(h, next.body.id, 20_000)).toMatchObject({ status: 'sent' });
    expect(h.catcher.received.get(next.body.id)).toBe(1);
  });
});
