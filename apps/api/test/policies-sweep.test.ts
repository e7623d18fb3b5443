import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Bull from 'bull';
import type { CaughtMessage } from '@herald/mail-catcher';
import { randomUUID } from 'node:crypto';
import { enqueuePolicyEmails } from '../src/policies/enqueue-policy-emails.js';
import { fanOutNotices } from '../src/policies/fan-out-notices.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;

let h: Harness;
/** While true, "flaky-" recipients get a temporary refusal (451), as a full mailbox or a greylist would. */
let refuseFlaky = true;

beforeAll(async () => {
  h = await startHarness({
    worker: true,
    smtp: {
      rcptHandler: (address) => {
        if (address.startsWith('down-') || (refuseFlaky && address.startsWith('flaky-'))) {
          return { code: 451, message: '4.2.2 Mailbox full, try later' };
        }
        return null;
      },
    },
    env: {
      DELIVERY_ATTEMPTS: '2',
      DELIVERY_BACKOFF_MS: '50',
      HERALD_POLICY_SWEEP_INTERVAL_MS: '200',
      HERALD_POLICY_RETRY_INTERVAL_MS: '300',
      HERALD_POLICY_AT_RISK_DAYS: '20',
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const coverageOf = async (policyId: string) =>
  (await h.request('GET', `/v1/policies/${policyId}/coverage`)).body;

describe('deliveries that fail before the effective date', () => {
  it('marks an unannounced version inside the at-risk window at risk', async () => {
    const created = await h.request('POST', '/v1/policies', {
      version: `draft-${Date.now()}`,
      title: 'Cookie Policy',
      summary: 'We drop the last analytics cookie.',
      url: 'https://example.com/legal/cookies',
      effectiveAt: new Date(Date.now() + 12 * DAY_MS).toISOString(),
      override: { reason: 'Short notice agreed with counsel: the change only removes tracking.' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const marked = await until(
      () => h.request('GET', `/v1/policies/${created.body.id}`).then((r) => r.body),
      (body) => body.atRiskSince !== null,
      'draft never marked at risk',
    );
    expect(marked.status).toBe('draft');
    expect((await coverageOf(created.body.id)).atRisk).toBe(true);
  });

  it('sends a failed notice again until it is delivered, and marks the version at risk meanwhile', async () => {
    const contacts = {
      ok: (await h.request('POST', '/v1/contacts', { email: uniqueEmail('ok') })).body.id as string,
      flaky: (await h.request('POST', '/v1/contacts', { email: uniqueEmail('flaky') })).body.id as string,
      down: (await h.request('POST', '/v1/contacts', { email: uniqueEmail('down') })).body.id as string,
    };
    const created = await h.request('POST', '/v1/policies', {
      version: `retries-${Date.now()}`,
      title: 'Privacy Policy',
      summary: 'We add a new sub-processor for support chat.',
      url: 'https://example.com/legal/privacy/retries',
      effectiveAt: new Date(Date.now() + 10 * DAY_MS).toISOString(),
      override: { reason: 'The sub-processor change was required by a security incident.' },
    });
    const policyId = created.body.id as string;
    expect((await h.request('POST', `/v1/policies/${policyId}/announce`, {})).status).toBe(202);

    const atRisk = await until(
      () => coverageOf(policyId),
      (c) => c.failed >= 1 && c.atRiskSince !== null,
      'no failed delivery marked at risk',
    );
    expect(atRisk).toMatchObject({ atRisk: true, notifiedBeforeEffective: false, bounced: 0, inAppOnly: 0 });
    expect(atRisk.undeliveredReachable).toBeGreaterThanOrEqual(2);

    refuseFlaky = false;
    const flakyNotice = await until(
      () =>
        h.db.notice.findFirstOrThrow({
          where: { policyVersionId: policyId, contactId: contacts.flaky },
          include: { message: true },
        }),
      (notice) => notice.message?.status === 'sent',
      'flaky contact never delivered',
    );
    expect(flakyNotice.emailAttempts).toBeGreaterThanOrEqual(2);
    const flakyMessages = await h.db.message.findMany({
      where: { contactId: contacts.flaky },
      include: { events: true },
      orderBy: { createdAt: 'asc' },
    });
    expect(flakyMessages.slice(0, -1).every((m) => m.status === 'failed')).toBe(true);
    const retryEvent = flakyMessages.at(-1)?.events.find((e) => e.type === 'queued');
    expect(retryEvent?.detail).toMatchObject({ retryOf: expect.any(String) });
    const delivered = h.catcher.messages().filter((m) => m.heraldMessageId === flakyNotice.messageId);
    expect(delivered).toHaveLength(1);

    const coverage = await coverageOf(policyId);
    expect(coverage).toMatchObject({
      contacts: 3,
      emailed: 3,
      delivered: 2,
      reachable: 3,
      undeliveredReachable: 1,
      atRisk: true,
    });
    expect(coverage.notifiedBeforeEffective).toBe(false);
  });
});

describe('two fan-outs of one version at once', () => {
  it('give each contact one notice and one email between them', async () => {
    const emails = Array.from({ length: 12 }, () => uniqueEmail('twice'));
    for (const email of emails) await h.request('POST', '/v1/contacts', { email });
    const version = await h.db.policyVersion.create({
      data: {
        version: `twice-${Date.now()}`,
        title: 'Terms of Service',
        summary: 'We clarify how refunds work.',
        url: 'https://example.com/legal/terms',
        effectiveAt: new Date(Date.now() + 45 * DAY_MS),
        requiredNoticeDays: 30,
      },
    });
    const template = await h.db.template.findFirstOrThrow({
      where: { key: 'policy-update', locale: null },
      orderBy: { version: 'desc' },
      include: { category: true },
    });
    // The harness worker's own delivery queue, so what the fan-outs enqueue is really sent.
    const queue = new Bull('delivery', h.env.REDIS_URL as string, { prefix: h.env.HERALD_QUEUE_PREFIX });
    const deps = { db: h.db, queue };
    const policyTemplate = {
      id: template.id,
      categoryKey: template.categoryKey,
      class: template.category.class,
    };
    const runs = await Promise.all(
      [1, 2].map(() => fanOutNotices(deps, { version, template: policyTemplate, batchSize: 4 })),
    );
    await queue.close();

    const contacts = await h.db.contact.count({ where: { erasedAt: null } });
    expect(runs[0]!.noticed + runs[1]!.noticed).toBe(contacts);
    expect(await h.db.notice.count({ where: { policyVersionId: version.id } })).toBe(contacts);
    // The other announced version in this database reaches these contacts too: count this version's mail.
    const messageIds = new Set(
      (await h.db.notice.findMany({ where: { policyVersionId: version.id } })).map((n) => n.messageId),
    );
    const ofThisVersion = (email: string) => (m: CaughtMessage) =>
      m.envelope.to.includes(email) && messageIds.has(m.heraldMessageId ?? '');
    // Only once every message of the version is final is the count at the SMTP server final.
    await vi.waitFor(
      async () => {
        const open = await h.db.message.count({
          where: {
            id: { in: [...messageIds].flatMap((id) => (id ? [id] : [])) },
            status: { in: ['queued', 'sending'] },
          },
        });
        expect(open).toBe(0);
      },
      { timeout: 20_000, interval: 100 },
    );
    for (const email of emails) expect(h.catcher.messages().filter(ofThisVersion(email))).toHaveLength(1);
  });
});

describe('a throttled announcement', () => {
  it('spaces its emails at the rate, each page after the slots the previous ones reserved', async () => {
    const version = await h.db.policyVersion.create({
      data: {
        version: `throttled-${Date.now()}`,
        title: 'Privacy Policy',
        summary: 'We shorten log retention.',
        url: 'https://example.com/legal/privacy/throttled',
        effectiveAt: new Date(Date.now() + 45 * DAY_MS),
        requiredNoticeDays: 30,
        ratePerSecond: 4,
      },
    });
    // A queue of its own with no worker: the jobs stay where the schedule put them.
    const queue = new Bull('delivery', h.env.REDIS_URL as string, {
      prefix: `throttle-${version.id.slice(-8)}`,
    });
    // Queued messages, as the fan-out leaves them: only a queued message is given a slot.
    const template = await h.db.template.findFirstOrThrow({
      where: { key: 'policy-update', locale: null },
      orderBy: { version: 'desc' },
      include: { category: true },
    });
    const ids = async (n: number) => {
      const made: string[] = [];
      for (let i = 0; i < n; i += 1) {
        const contact = await h.request('POST', '/v1/contacts', { email: uniqueEmail('throttled') });
        const message = await h.db.message.create({
          data: {
            id: randomUUID(),
            contactId: contact.body.id as string,
            templateId: template.id,
            categoryKey: template.categoryKey,
            class: template.category.class,
          },
        });
        made.push(message.id);
      }
      return made;
    };
    const first = await ids(5);
    const second = await ids(3);
    await enqueuePolicyEmails(
      { db: h.db, queue },
      { policyVersionId: version.id, ratePerSecond: 4, messageIds: first },
    );
    await enqueuePolicyEmails(
      { db: h.db, queue },
      { policyVersionId: version.id, ratePerSecond: 4, messageIds: second },
    );
    const jobs = [...(await queue.getDelayed()), ...(await queue.getWaiting())];
    await queue.obliterate({ force: true });
    await queue.close();

    // The slots, as stored: a quarter of a second apart, the second page after the first.
    const slots = await h.db.$queryRaw<{ id: string; at: number }[]>`
      SELECT id::text, (extract(epoch FROM send_after) * 1000)::float8 AS at
        FROM messages WHERE id = ANY(${[...first, ...second]}::uuid[]) ORDER BY send_after`;
    expect(slots.map((slot) => slot.id)).toEqual([...first, ...second]);
    const gaps = slots.slice(1).map((slot, i) => slot.at - (slots[i] as { at: number }).at);
    for (const gap of gaps) expect(gap).toBeCloseTo(250, 3);

    // Each job falls due at its slot: a delayed job exactly then, whatever time passed between
    // reading the slot and adding the job; a job whose slot had passed when it was added, at once.
    expect(jobs).toHaveLength(8);
    const slotOf = new Map(slots.map((slot) => [slot.id, slot.at]));
    for (const job of jobs) {
      const slot = slotOf.get(job.id as string) as number;
      if (job.opts.delay) expect(job.timestamp + job.opts.delay).toBe(Math.ceil(slot));
      else expect(job.timestamp).toBeGreaterThanOrEqual(Math.ceil(slot));
    }
    expect(jobs.filter((job) => job.opts.delay).length).toBeGreaterThanOrEqual(7);
  });
});
