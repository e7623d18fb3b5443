import type { JsonBody } from '@herald/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

const NOTICE = { title: 'Your export is ready', body: 'Download it within 7 days.' };
const rejections = new Map<string, number>();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: { DELIVERY_ATTEMPTS: '5', DELIVERY_BACKOFF_MS: '50', SMTP_BREAKER_PROBE_MS: '300' },
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

  it('retries a refused connection, then holds the message instead of failing it, and sends it once the server is back', async () => {
    // The mail server goes down: open connections dropped, new ones refused. Each refusal uses one of
    // the job's attempts (DELIVERY_ATTEMPTS=5) until the fifth in a row opens the SMTP circuit
    // breaker (SMTP_BREAKER_THRESHOLD=5): from then on the message waits for the server without
    // using attempts. Before the breaker, it ended `failed` after its last attempt.
    await h.catcher.refuseConnections();
    const email = uniqueEmail('refused');
    const sent = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: NOTICE,
    });
    const deadline = Date.now() + 20_000;
    let held: JsonBody = {};
    while (Date.now() < deadline) {
      held = (await h.request('GET', `/v1/messages/${sent.body.id}`)).body;
      if (held.reason?.startsWith('smtp unavailable')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(held.status).toBe('queued');
    expect(held.reason).toMatch(/^smtp unavailable: .*(ECONNREFUSED|connect)/i);
    expect(held.events.filter((e: { type: string }) => e.type === 'deferred')).toHaveLength(5);

    // Back on the same port: the held message and a new one are sent, each once.
    await h.catcher.acceptConnections();
    const next = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: uniqueEmail('back') },
      data: NOTICE,
    });
    const message = await waitForStatus(h, sent.body.id, 20_000);
    expect(message.status).toBe('sent');
    expect(message.events.map((e: { type: string }) => e.type)).not.toContain('failed');
    expect(await waitForStatus(h, next.body.id, 20_000)).toMatchObject({ status: 'sent' });
    expect(h.catcher.received.get(sent.body.id)).toBe(1);
    expect(h.catcher.received.get(next.body.id)).toBe(1);
    const suppressions = await h.db.suppression.count({ where: { contactId: message.contactId } });
    expect(suppressions).toBe(0);
  });
});
