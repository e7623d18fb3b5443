import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressAddress } from '@herald/preferences';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const OPTIONAL_CATEGORIES = [
  'service-notices',
  'collaboration-invites',
  'newsletter',
  'product-news',
  'promotions',
];

let h: Harness;
beforeAll(async () => {
  // Announcing reaches every contact in the database: this file's own (see vitest.config.ts).
  h = await startHarness({
    worker: true,
    smtp: { unknownPrefixes: ['bounce-'] },
    env: { HERALD_POLICY_SWEEP_INTERVAL_MS: '200' },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
let versionCounter = 0;
const policyBody = (overrides: object = {}) => ({
  version: `2027-${String(++versionCounter).padStart(2, '0')}-${Date.now().toString(36)}`,
  title: 'Privacy Policy',
  summary: 'We now keep support conversations for 12 months instead of 24.',
  url: 'https://example.com/legal/privacy/2027',
  effectiveAt: inDays(40),
  ...overrides,
});

async function createContact(body: object): Promise<string> {
  const response = await h.request('POST', '/v1/contacts', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id as string;
}

/** Polls the coverage until every noticed contact's email has left queued/sending and nobody awaits a notice. */
async function settledCoverage(policyId: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await h.request('GET', `/v1/policies/${policyId}/coverage`);
    expect(status).toBe(200);
    if (body.fanOutDone && body.awaitingNotice === 0 && body.pending === 0) return body;
    if (Date.now() > deadline) throw new Error(`coverage not settled: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const mailsFor = (messageIds: Set<string>) =>
  h.catcher.messages().filter((m) => m.heraldMessageId !== undefined && messageIds.has(m.heraldMessageId));

describe('publishing a policy version', () => {
  it('refuses an effective date sooner than the notice period, naming the earliest allowed date', async () => {
    const before = Date.now();
    const response = await h.request('POST', '/v1/policies', policyBody({ effectiveAt: inDays(10) }));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('effective_date_too_soon');
    const earliest = Date.parse(response.body.error.details.earliestAllowed);
    expect(earliest).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(response.body.error.message).toContain(response.body.error.details.earliestAllowed);
    expect(response.body.error.message).toContain('override');
  });

  it('accepts a shorter notice with a written reason, and records the reason', async () => {
    const reason = 'A regulator ordered the change to take effect within two weeks.';
    const created = await h.request(
      'POST',
      '/v1/policies',
      policyBody({ effectiveAt: inDays(14), override: { reason } }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', override: { reason }, requiredNoticeDays: 30 });
    const read = await h.request('GET', `/v1/policies/${created.body.id}`);
    expect(read.body.override).toEqual({ reason });
    const row = await h.db.policyVersion.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.overrideReason).toBe(reason);
  });

  it('refuses a date in the past even with a reason, a blank reason, and unknown fields', async () => {
    const past = await h.request(
      'POST',
      '/v1/policies',
      policyBody({ effectiveAt: inDays(-1), override: { reason: 'We forgot to announce it in time.' } }),
    );
    expect(past.status).toBe(422);
    expect(past.body.error.code).toBe('effective_date_in_past');
    const blank = await h.request(
      'POST',
      '/v1/policies',
      policyBody({ effectiveAt: inDays(5), override: { reason: ' ' } }),
    );
    expect(blank.status).toBe(400);
    const unknown = await h.request('POST', '/v1/policies', policyBody({ changes: 'x' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('changes');
    const missing = '01900000-0000-7000-8000-000000000000';
    expect((await h.request('POST', `/v1/policies/${missing}/announce`, {})).status).toBe(404);
    expect((await h.request('GET', `/v1/policies/${missing}/coverage`)).status).toBe(404);
    expect((await h.request('GET', '/v1/policies/not-a-uuid')).status).toBe(400);
  });

  it('reads an effectiveAt without offset as a wall-clock time in its time zone, like a campaign sendAt', async () => {
    for (const [effectiveAt, instant] of [
      ['2031-07-01T09:30', '2031-07-01T07:30:00.000Z'],
      ['2031-01-15T09:30', '2031-01-15T08:30:00.000Z'],
    ]) {
      const created = await h.request(
        'POST',
        '/v1/policies',
        policyBody({ effectiveAt, timezone: 'Europe/Berlin' }),
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.effectiveAt).toBe(instant);
      const row = await h.db.policyVersion.findUniqueOrThrow({ where: { id: created.body.id } });
      expect(row.effectiveAt.toISOString()).toBe(instant);
    }
    const utc = await h.request('POST', '/v1/policies', policyBody({ effectiveAt: '2031-07-01T09:30' }));
    expect(utc.body.effectiveAt).toBe('2031-07-01T09:30:00.000Z');
  });

  it('refuses an unknown time zone or an impossible wall-clock time, naming the field, and creates nothing', async () => {
    const before = await h.db.policyVersion.count();
    const badZone = await h.request(
      'POST',
      '/v1/policies',
      policyBody({ effectiveAt: '2031-07-01T09:30', timezone: 'Europe/Atlantis' }),
    );
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.message).toContain('timezone');
    expect(badZone.body.error.message).toContain('IANA time zone');
    const badDate = await h.request(
      'POST',
      '/v1/policies',
      policyBody({ effectiveAt: '2031-02-30T09:30', timezone: 'Europe/Berlin' }),
    );
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toContain('effectiveAt');
    expect(await h.db.policyVersion.count()).toBe(before);
  });
});

describe('announcing a version to every contact', () => {
  const contacts: Record<string, string> = {};
  let policyId: string;

  beforeAll(async () => {
    contacts.plain = await createContact({
      email: uniqueEmail('plain'),
      name: 'Plain Reader',
      timezone: 'America/New_York',
    });
    contacts.optedOut = await createContact({ email: uniqueEmail('optout'), name: 'Opted Out' });
    const optOut = await h.request('PUT', `/v1/contacts/${contacts.optedOut}/preferences`, {
      changes: OPTIONAL_CATEGORIES.map((category) => ({ category, subscribed: false })),
      allPromotional: false,
      reason: 'Asked by phone to stop every optional email',
    });
    expect(optOut.status, JSON.stringify(optOut.body)).toBe(200);
    contacts.bounces = await createContact({ email: uniqueEmail('bounce-policy') });
    const suppressedEmail = uniqueEmail('suppressed');
    contacts.suppressed = await createContact({ email: suppressedEmail });
    await suppressAddress(h.db, {
      email: suppressedEmail,
      contactId: contacts.suppressed,
      reason: 'hard-bounce',
      source: 'bounce',
      detail: '550 earlier bounce',
    });
    contacts.noAddress = await createContact({ externalId: `no-address-${Date.now()}`, name: 'No Address' });

    // 02:00 UTC: the evening before in New York, so the reader's date differs from UTC's.
    const effectiveAt = new Date(Date.now() + 40 * DAY_MS);
    effectiveAt.setUTCHours(2, 0, 0, 0);
    const created = await h.request(
      'POST',
      '/v1/policies',
      policyBody({ effectiveAt: effectiveAt.toISOString() }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    policyId = created.body.id;
  });

  it('emails every contact with an address once, even when announced twice at once and again later', async () => {
    const [first, second] = await Promise.all([
      h.request('POST', `/v1/policies/${policyId}/announce`, {}),
      h.request('POST', `/v1/policies/${policyId}/announce`, {}),
    ]);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect([first.body.alreadyAnnounced, second.body.alreadyAnnounced].sort()).toEqual([false, true]);
    expect(first.body.status).toBe('announced');
    const coverage = await settledCoverage(policyId);
    const again = await h.request('POST', `/v1/policies/${policyId}/announce`, {});
    expect(again.body.alreadyAnnounced).toBe(true);
    // Every message of the version is final again: what the SMTP server holds is all it will get.
    await settledCoverage(policyId);

    const notices = await h.db.notice.findMany({ where: { policyVersionId: policyId } });
    const messageIds = new Set(notices.flatMap((notice) => (notice.messageId ? [notice.messageId] : [])));
    const received = mailsFor(messageIds);
    const recipients = received.map((m) => m.envelope.to[0]);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(received).toHaveLength(coverage.delivered);
    expect(notices).toHaveLength(5);
  });

  it('reaches a contact who opted out of all marketing and every optional category, without List-Unsubscribe', async () => {
    const notices = await h.request('GET', `/v1/contacts/${contacts.optedOut}/notices`);
    const notice = notices.body.notices.find((n: any) => n.policy.id === policyId);
    expect(notice.email.status).toBe('sent');
    const mail = h.catcher.messages().find((m) => m.heraldMessageId === notice.email.messageId);
    expect(mail?.header('x-herald-category')).toBe('policy-updates');
    expect(mail?.header('x-herald-class')).toBe('transactional');
    expect(mail?.header('list-unsubscribe')).toBeUndefined();
    expect(mail?.header('list-unsubscribe-post')).toBeUndefined();
    const parsed = await mail!.parse();
    expect(parsed.text).toContain('12 months instead of 24');
    expect(parsed.html).toContain('https://example.com/legal/privacy/2027');
  });

  it('tells each reader the effective date in their own time zone', async () => {
    const notices = await h.request('GET', `/v1/contacts/${contacts.plain}/notices`);
    const notice = notices.body.notices.find((n: any) => n.policy.id === policyId);
    const mail = h.catcher.messages().find((m) => m.heraldMessageId === notice.email.messageId);
    const expected = new Intl.DateTimeFormat('en', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'America/New_York',
    }).format(new Date(notice.policy.effectiveAt));
    const utc = new Intl.DateTimeFormat('en', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(notice.policy.effectiveAt));
    expect(expected).not.toBe(utc);
    const text = (await mail!.parse()).text ?? '';
    expect(text).toContain(expected);
    expect(text).not.toContain(utc);
  });

  it('covers hard-bounced and address-less contacts with the in-app notice only, and counts them so', async () => {
    const coverage = await settledCoverage(policyId);
    expect(coverage).toMatchObject({
      contacts: 5,
      noticed: 5,
      awaitingNotice: 0,
      emailed: 4,
      delivered: 2,
      bounced: 2,
      failed: 0,
      noAddress: 1,
      inAppOnly: 3,
      reachable: 2,
      undeliveredReachable: 0,
      notifiedBeforeEffective: true,
      atRisk: false,
    });
    for (const key of ['bounces', 'suppressed'] as const) {
      const { body } = await h.request('GET', `/v1/contacts/${contacts[key]}/notices?pending=true`);
      expect(body.notices).toEqual([
        expect.objectContaining({
          acknowledged: false,
          email: expect.objectContaining({ status: expect.stringMatching(/^(bounced|suppressed)$/) }),
        }),
      ]);
    }
    const { body } = await h.request('GET', `/v1/contacts/${contacts.noAddress}/notices`);
    expect(body.notices).toEqual([
      expect.objectContaining({ email: null, policy: expect.objectContaining({ id: policyId }) }),
    ]);
  });

  it('notifies a contact created after the announcement, by email and in the app', async () => {
    const email = uniqueEmail('late');
    const late = await createContact({ email });
    const mail = await h.catcher.waitFor((m) => m.envelope.to.includes(email), { timeoutMs: 15_000 });
    expect(mail.header('x-herald-category')).toBe('policy-updates');
    const { body } = await h.request('GET', `/v1/contacts/${late}/notices`);
    expect(body.notices).toEqual([
      expect.objectContaining({
        policy: expect.objectContaining({ id: policyId }),
        email: expect.objectContaining({ messageId: mail.heraldMessageId }),
      }),
    ]);
    const coverage = await settledCoverage(policyId);
    expect(coverage).toMatchObject({
      contacts: 6,
      delivered: 3,
      reachable: 3,
      notifiedBeforeEffective: true,
    });
  });

  it('keeps a notice until it is acknowledged; acknowledging twice keeps the first time', async () => {
    const { body } = await h.request('GET', `/v1/contacts/${contacts.plain}/notices?pending=true`);
    const notice = body.notices[0];
    const first = await h.request('POST', `/v1/contacts/${contacts.plain}/notices/${notice.id}/ack`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: notice.id, acknowledged: true });
    const second = await h.request('POST', `/v1/contacts/${contacts.plain}/notices/${notice.id}/ack`);
    expect(second.body.acknowledgedAt).toBe(first.body.acknowledgedAt);
    const pending = await h.request('GET', `/v1/contacts/${contacts.plain}/notices?pending=true`);
    expect(pending.body.notices).toEqual([]);
    const otherContact = await h.request(
      'POST',
      `/v1/contacts/${contacts.optedOut}/notices/${notice.id}/ack`,
    );
    expect(otherContact.status).toBe(404);
    expect((await h.request('GET', `/v1/policies/${policyId}/coverage`)).body.acknowledged).toBe(1);
  });

  it('lists versions with the one each follows, for the public page', async () => {
    const { body } = await h.request('GET', '/v1/policies?status=announced,effective');
    expect(body.policies.map((p: any) => p.id)).toEqual([policyId]);
    expect(body.policies[0]).toMatchObject({
      status: 'announced',
      previousVersion: null,
      summary: expect.any(String),
    });
  });
});
