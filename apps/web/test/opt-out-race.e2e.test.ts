import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startHeraldWithWeb,
  startTestSmtpServer,
  type ApiClient,
  type HeraldWithWeb,
  type TestSmtpServer,
} from '@herald/test-support';

/**
 * The opt-out race (issue 3): newsletters to a contact wait in the queue behind other jobs while the
 * contact one-clicks. Once the POST has returned, no newsletter reaches the SMTP server for that
 * contact. The worker reads consent at send time, and the one-click route waits for any send that
 * read the old state to finish before answering.
 */
let catcher: TestSmtpServer;
let stack: HeraldWithWeb;
let api: ApiClient;

const NEWSLETTER = {
  headline: 'Race day',
  intro: 'One of many.',
  articles: [{ title: 'A', summary: 'B', url: 'https://example.test/a' }],
};
const NOTICE = { title: 'Filler', body: 'A job ahead of the newsletter in the queue.' };

beforeAll(async () => {
  catcher = await startTestSmtpServer({ keep: 'headers', maxMessages: 100_000 });
  stack = await startHeraldWithWeb({ env: { SMTP_URL: catcher.smtpUrl, WORKER_CONCURRENCY: '10' } });
  api = stack.herald.client;
});
afterAll(async () => {
  await stack?.stop();
  await catcher?.close();
});

describe('the opt-out race', () => {
  it('delivers no newsletter to a contact after their one-click POST has returned', async () => {
    const email = `race-${randomBytes(5).toString('hex')}@example.test`;
    const send = async (template: string, to: object, data: object) => {
      const response = await api.call('POST', '/v1/messages', { template, to, data });
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      return response.body.id as string;
    };

    // A subscriber the company added (a contact created by a send would take no marketing consent),
    // and a first newsletter that gives them a real one-click link, as in their inbox.
    expect((await api.call('POST', '/v1/contacts', { email })).status).toBeLessThan(300);
    const first = await send('newsletter', { email }, NEWSLETTER);
    const caught = await catcher.waitFor((m) => m.heraldMessageId === first, { timeoutMs: 20_000 });
    const oneClickUrl = /<(http[^>]+\/u\/[^>]+)>/.exec(caught.header('list-unsubscribe') ?? '')?.[1];
    expect(oneClickUrl).toMatch(new RegExp(`^${stack.web.url}/u/.+`));

    // Newsletters to the contact spread among hundreds of other jobs, then the one-click while they drain.
    const queued: string[] = [];
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          send(
            'service-notice',
            { email: `filler-${round}-${i}-${randomBytes(3).toString('hex')}@example.test` },
            NOTICE,
          ),
        ),
      );
      queued.push(await send('newsletter', { email }, NEWSLETTER));
    }
    const response = await fetch(oneClickUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    const returnedAt = Date.now();
    expect(response.status).toBe(200);

    const outcomes = await Promise.all(queued.map((id) => api.settled(id)));
    const lateArrivals = catcher
      .messages()
      .filter((m) => m.envelope.to.includes(email) && m.receivedAt > returnedAt);
    expect(lateArrivals).toEqual([]);
    // The race was real: some newsletters were still waiting when the person clicked.
    const suppressed = outcomes.filter((o) => o.status === 'suppressed');
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((o) => o.reason === 'category-opt-out')).toBe(true);
    expect(outcomes.every((o) => ['sent', 'suppressed'].includes(o.status))).toBe(true);
  });
});
