import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@herald/db';
import { startMailCatcher, type MailCatcher } from '@herald/mail-catcher';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { freePort, ROOT, startProcess, waitForHttp, type Started } from './support/processes.js';

/**
 * Announcing a policy version through the built processes a deployment runs, scaled out: two API
 * copies and two workers share one database and one Redis. The database is this file's own, created
 * and migrated as a deployment does it, because an announcement reaches every contact in it.
 */
const API_KEY = 'e2e-policy-key-0123456789abcdef';
const DAY_MS = 24 * 60 * 60 * 1000;
const server = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_test');
const name = `herald_e2e_policy_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(server), { pathname: `/${name}` }).toString();

let admin: Db;
let catcher: MailCatcher;
const processes: Started[] = [];
const apiUrls: string[] = [];

async function call(apiUrl: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  admin = createPrismaClient({
    databaseUrl: Object.assign(new URL(server), { pathname: '/postgres' }).toString(),
  });
  await admin.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
  const run = promisify(execFile);
  await run('npx', ['prisma', 'migrate', 'deploy'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  await run('npx', ['prisma', 'db', 'seed'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });

  catcher = await startMailCatcher({
    smtpPort: 0,
    httpPort: null,
    rcptHandler: (address) =>
      address.startsWith('bounce-') ? { code: 550, message: '5.1.1 No such user' } : null,
  });
  const env = {
    DATABASE_URL: databaseUrl,
    HERALD_QUEUE_PREFIX: `e2e-policy-${randomBytes(4).toString('hex')}`,
    HERALD_API_KEY: API_KEY,
    HERALD_SECRET: `e2e:${randomBytes(32).toString('base64url')}`,
    SMTP_URL: catcher.smtpUrl,
    HERALD_POLICY_SWEEP_INTERVAL_MS: '300',
  };
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    const api = startProcess('apps/api/dist/main.js', {
      ...env,
      API_PORT: String(port),
      PUBLIC_API_URL: apiUrl,
    });
    processes.push(api, startProcess('apps/api/dist/worker.js', env));
    await waitForHttp(`${apiUrl}/health`, 20_000, api);
    apiUrls.push(apiUrl);
  }
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await catcher?.close();
  await admin?.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin?.$disconnect();
});

describe('a policy announcement with two API copies and two workers', () => {
  it('notifies every contact once, and its coverage matches what the SMTP server received', async () => {
    const [a, b] = apiUrls as [string, string];
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

    let coverage: any;
    for (let i = 0; ; i++) {
      coverage = (await call(b, 'GET', `/v1/policies/${policyId}/coverage`)).body;
      if (coverage.fanOutDone && coverage.awaitingNotice === 0 && coverage.pending === 0) break;
      if (i > 300) throw new Error(`not settled: ${JSON.stringify(coverage)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));

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
