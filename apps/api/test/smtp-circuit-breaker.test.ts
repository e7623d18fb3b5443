import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

const NOTICE = { title: 'Scheduled maintenance', body: 'Read-only for 20 minutes.' };
/** Three attempts 50 ms apart would all be used up in well under a second without the breaker. */
const ATTEMPTS_WINDOW_MS = 3_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: {
      DELIVERY_ATTEMPTS: '3',
      DELIVERY_BACKOFF_MS: '50',
      SMTP_BREAKER_THRESHOLD: '2',
      SMTP_BREAKER_PROBE_MS: '300',
    },
  });
});
afterAll(async () => h?.close());

const health = () => h.request('GET', '/health', undefined, { authorization: '' });

/** Polls /health (bounded) until `accept` holds for its body, and returns that answer. */
async function healthUntil(accept: (body: Record<string, unknown>) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await health();
    if (accept(answer.body) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the SMTP relay refusing connections', () => {
  it('holds every message without failing it, says so on /health, and sends each once when the relay is back', async () => {
    await h.catcher.refuseConnections();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const sent = await h.request('POST', '/v1/messages', {
        template: 'service-notice',
        to: { email: uniqueEmail(`held-${i}`) },
        data: NOTICE,
      });
      expect(sent.status).toBe(202);
      ids.push(sent.body.id);
    }

    const down = await healthUntil((body) => body.smtp === 'unavailable');
    expect(down).toEqual({
      status: 200,
      body: {
        status: 'degraded',
        database: 'ok',
        redis: 'ok',
        smtp: 'unavailable',
        smtpUnavailableSince: expect.any(String),
      },
    });
    expect(Date.parse(down.body.smtpUnavailableSince)).not.toBeNaN();

    // Far longer than three attempts take: every message is still waiting, none failed.
    await new Promise((resolve) => setTimeout(resolve, ATTEMPTS_WINDOW_MS));
    const waiting = await Promise.all(ids.map((id) => h.request('GET', `/v1/messages/${id}`)));
    expect(waiting.map((m) => m.body.status)).toEqual(ids.map(() => 'queued'));
    // Those that reached the relay before the breaker opened say why they wait.
    const deferred = waiting.flatMap((m) =>
      m.body.events.filter((e: { type: string }) => e.type === 'deferred'),
    );
    expect(deferred.length).toBeGreaterThan(0);
    expect((await health()).body.smtp).toBe('unavailable');

    await h.catcher.acceptConnections();
    const settled = await Promise.all(ids.map((id) => waitForStatus(h, id, 20_000)));
    expect(settled.map((m) => m.status)).toEqual(ids.map(() => 'sent'));
    for (const message of settled) {
      expect(message.events.map((e: { type: string }) => e.type)).not.toContain('failed');
      expect(message.attempts).toBeLessThanOrEqual(3);
    }
    expect(ids.map((id) => h.catcher.received.get(id))).toEqual(ids.map(() => 1));
    expect(await healthUntil((body) => body.status === 'ok')).toEqual({
      status: 200,
      body: { status: 'ok', database: 'ok', redis: 'ok' },
    });
  });

  it('does not open for replies about recipients: the next message goes at once', async () => {
    for (let i = 0; i < 3; i++) {
      const unknown = uniqueEmail('unknown');
      h.catcher.answer(unknown, 550, '5.1.1 No such user');
      const sent = await h.request('POST', '/v1/messages', {
        template: 'service-notice',
        to: { email: unknown },
        data: NOTICE,
      });
      expect(await waitForStatus(h, sent.body.id)).toMatchObject({ status: 'bounced' });
    }
    const next = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: uniqueEmail('after-bounces') },
      data: NOTICE,
    });
    expect(await waitForStatus(h, next.body.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await health()).body).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
  });
});
