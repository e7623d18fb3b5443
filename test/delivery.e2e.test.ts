import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startHerald,
  startNodeProcess,
  startTestSmtpServer,
  type Herald,
  type TestSmtpServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';

/**
 * The acceptance scenario of the foundation, through the built processes a deployment runs:
 * `node apps/api/dist/main.js` and `node apps/api/dist/worker.js`, real Redis, PostgreSQL and SMTP.
 */
let catcher: TestSmtpServer;
let herald: Herald;
const call = (method: string, path: string, body?: unknown) => herald.client.call(method, path, body);
const settled = (id: string) => herald.client.settled(id);

beforeAll(async () => {
  catcher = await startTestSmtpServer();
  herald = await startHerald({ env: { SMTP_URL: catcher.smtpUrl } });
});

afterAll(async () => {
  await herald?.stop();
  await catcher?.close();
});

describe('opt-outs never stop required transactional mail, and always stop the rest', () => {
  it('delivers security mail to a contact opted out of all marketing and service notices, and suppresses the others', async () => {
    const email = `e2e-${randomBytes(5).toString('hex')}@example.test`;
    const { body: contact } = await call('POST', '/v1/contacts', { email, name: 'Pat Example' });
    const change = await call('PUT', `/v1/contacts/${contact.id}/preferences`, {
      changes: [{ category: 'service-notices', subscribed: false }],
      allPromotional: false,
      reason: 'Asked support to stop everything optional',
    });
    expect(change.status).toBe(200);

    const send = async (template: string, data: object) => {
      const response = await call('POST', '/v1/messages', { template, to: { contactId: contact.id }, data });
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      return response.body.id as string;
    };
    const security = await send('security-sign-in', {
      signInUrl: 'https://app.example.test/s/1',
      expiresInMinutes: 15,
    });
    const notice = await send('service-notice', { title: 'Maintenance', body: 'Read-only for 20 minutes.' });
    const newsletter = await send('newsletter', {
      headline: 'News',
      intro: 'This month',
      articles: [{ title: 'A', summary: 'B', url: 'https://example.test/a' }],
    });

    const arrived = await catcher.waitFor((m) => m.heraldMessageId === security, { timeoutMs: 15_000 });
    expect(arrived.envelope.to).toEqual([email]);
    expect(arrived.header('x-herald-class')).toBe('transactional');
    expect(arrived.header('x-herald-category')).toBe('security');
    expect(arrived.header('list-unsubscribe')).toBeUndefined();
    const parsed = await arrived.parse();
    expect(parsed.html).toContain('https://app.example.test/s/1');
    expect(parsed.text).toContain('https://app.example.test/s/1');

    expect(await settled(security)).toMatchObject({
      status: 'sent',
      class: 'transactional',
      category: 'security',
    });
    expect(await settled(notice)).toMatchObject({
      status: 'suppressed',
      reason: 'category-opt-out',
      category: 'service-notices',
    });
    expect(await settled(newsletter)).toMatchObject({
      status: 'suppressed',
      reason: 'all-promotional-opt-out',
      class: 'promotional',
    });
    expect(catcher.messages().filter((m) => m.envelope.to.includes(email))).toHaveLength(1);

    const log = await call('GET', `/v1/contacts/${contact.id}/consent-log`);
    expect(
      log.body.entries.map((e: { scope: string; action: string; source: string }) => [
        e.scope,
        e.action,
        e.source,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['service-notices', 'unsubscribe', 'admin'],
        ['all-promotional', 'unsubscribe', 'admin'],
      ]),
    );
  });

  it('refuses to start a process whose environment is invalid, naming the variable', async () => {
    const bad = startNodeProcess('apps/api/dist/main.js', {
      HERALD_API_KEY: 'short',
      HERALD_SECRET: 'x:y',
      API_PORT: '0',
    });
    await new Promise<void>((resolve) => bad.child.once('exit', () => resolve()));
    expect(bad.child.exitCode).toBe(1);
    expect(bad.output()).toContain('HERALD_API_KEY');
  });
});
