import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiClient,
  startHerald,
  startTestSmtpServer,
  type Herald,
  type JsonBody,
  type TestSmtpServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';

/**
 * Announcing a policy version through the built processes a deployment runs, scaled out: two API
 * copies and two workers share one database and one Redis. The database is this file's own (see
 * vitest.config.ts), because an announcement reaches every contact in it.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

let catcher: TestSmtpServer;
let herald: Herald;

async function call(apiUrl: string, method: string, path: string, body?: unknown) {
  return createApiClient(apiUrl, herald.apiKey).call(method, path, body);
}

beforeAll(async () => {
  catcher = await startTestSmtpServer({ unknownPrefixes: ['bounce-'] });
  herald = await startHerald({
    apis: 2,
    workers: 2,
    env: { SMTP_URL: catcher.smtpUrl, HERALD_POLICY_SWEEP_INTERVAL_MS: '300' },
  });
});

afterAll(async () => {
  await herald?.stop();
  await catcher?.close();
});

describe('a policy announcement with two API copies and two workers', () => {
  it('notifies every contact once, and its coverage matches what the SMTP server received', async () => {
    const [a, b] = herald.apiUrls as [string, string];
    const tag = randomBytes(3).toString('hex');
    const addresses = [
      ...Array.from({ length: 20 }, (_, i) => `reader-${tag}-${i}@example.test`),
      `bounce-${tag}-1@example.test`,
      `bounce-${tag}-2@example.test`,
    ];
    for (const [i, email] of addresses.entries()) {
      const created = await call(i % 2 ? a : b, 'POST', '/v1/contacts', { email });
      expect(created.status).toBe(201);
    }
    const optedOut = await call(a, 'POST', '/v1/contacts', { email: `optout-${tag}@example.test` });
    await call(a, 'PUT', `/v1/contacts/${optedOut.body.id}/preferences`, {
      changes: ['service-notices', 'collaboration-invites', 'newsletter', 'product-news', 'promotions'].map(
        (category) => ({ category, subscribed: false }),
      ),
      allPromotional: false,
      reason: 'Wrote to support: no optional email at all',
    });
    addresses.push(`optout-${tag}@example.test`);
    await call(b, 'POST', '/v1/contacts', { externalId: `no-address-${tag}` });

    const created = await call(a, 'POST', '/v1/policies', {
      version: `e2e-${tag}`,
      title: 'Privacy Policy',
      summary: 'We now delete inactive accounts after three years.',
      url: 'https://example.com/legal/privacy/e2e',
      effectiveAt: new Date(Date.now() + 35 * DAY_MS).toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const policyId = created.body.id as string;
    const announces = await Promise.all(
      [a, b, a, b].map((apiUrl) => call(apiUrl, 'POST', `/v1/policies/${policyId}/announce`, {})),
    );
    expect(announces.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(announces.filter((r) => !r.body.alreadyAnnounced)).toHaveLength(1);

    let coverage: JsonBody;
    for (let i = 0; ; i++) {
      coverage = (await call(b, 'GET', `/v1/policies/${policyId}/coverage`)).body;
      if (coverage.fanOutDone && coverage.awaitingNotice === 0 && coverage.pending === 0) break;
      if (i > 300) throw new Error(`not settled: ${JSON.stringify(coverage)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Nothing pending: every message is final, so what the SMTP server holds is all it will get.

    const policyMail = catcher.messages().filter((m) => m.header('x-herald-category') === 'policy-updates');
    const recipients = policyMail.map((m) => m.envelope.to[0]).sort();
    const reachable = addresses.filter((email) => !email.startsWith('bounce-')).sort();
    expect(recipients).toEqual(reachable);
    expect(policyMail.every((m) => m.header('list-unsubscribe') === undefined)).toBe(true);
    expect(coverage).toMatchObject({
      contacts: 24,
      emailed: 23,
      delivered: policyMail.length,
      bounced: 2,
      noAddress: 1,
      inAppOnly: 3,
      reachable: policyMail.length,
      notifiedBeforeEffective: true,
    });

    const late = `late-${tag}@example.test`;
    const lateContact = await call(b, 'POST', '/v1/contacts', { email: late });
    const mail = await catcher.waitFor((m) => m.envelope.to.includes(late), { timeoutMs: 15_000 });
    expect(mail.header('x-herald-category')).toBe('policy-updates');
    const notices = await call(a, 'GET', `/v1/contacts/${lateContact.body.id}/notices`);
    expect(notices.body.notices).toEqual([
      expect.objectContaining({ policy: expect.objectContaining({ id: policyId }), acknowledged: false }),
    ]);
  });
});
