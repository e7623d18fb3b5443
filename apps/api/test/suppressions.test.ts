import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAddress, recordFeedback } from '@herald/preferences';
import { randomBytes } from 'node:crypto';
import { addSubscriber, startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';
import { createNewsletterCampaign, insertContacts, newRun, waitForCampaign } from './support/campaigns.js';

const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };
const NEWSLETTER = {
  headline: 'Spring news',
  intro: 'What changed this month.',
  articles: [{ title: 'Faster sends', summary: 'We made sending faster.', url: 'https://example.com/a' }],
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: { SCHEDULER_INTERVAL_MS: '100', HERALD_SOFT_BOUNCE_LIMIT: '3' },
    smtp: { unknownPrefixes: ['bounce-'] },
  });
});
afterAll(async () => h?.close());

const tag = () => randomBytes(4).toString('hex');
const encoded = (email: string) => encodeURIComponent(email);

async function contactWith(email: string) {
  const created = await h.request('POST', '/v1/contacts', { email, name: 'Suppressed Reader' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function suppress(email: string, reason: string, extra: object = {}) {
  const added = await h.request('POST', '/v1/suppressions', { email, reason, ...extra });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body;
}

async function send(template: string, email: string, data: object) {
  if (template === 'newsletter') await addSubscriber(h, email);
  const sent = await h.request('POST', '/v1/messages', { template, to: { email }, data });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  return sent.body.id as string;
}

const reasonsOf = async (email: string) =>
  (await h.db.suppression.findMany({ where: { addressHash: hashAddress(email) } }))
    .map((row) => row.reason)
    .sort();

function expectRefusal(response: { status: number; body: any }, status: number, code: string, path?: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error.code).toBe(code);
  if (path) expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
}

describe('POST /v1/suppressions', () => {
  it('suppresses an address by hand: 201 once, 200 after, logged with the actor', async () => {
    const email = uniqueEmail('manual');
    const contactId = await contactWith(email);
    const first = await h.request('POST', '/v1/suppressions', {
      email: email.toUpperCase(),
      reason: 'manual',
      detail: 'Asked support to stop every email',
      actor: 'agent-7',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      created: true,
      suppression: {
        email,
        addressHash: hashAddress(email),
        reason: 'manual',
        contactId,
        detail: 'Asked support to stop every email',
      },
    });
    const again = await h.request('POST', '/v1/suppressions', { email, reason: 'manual' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, suppression: { id: first.body.suppression.id } });

    const log = await h.request('GET', `/v1/contacts/${contactId}/consent-log`);
    expect(log.body.entries).toEqual([
      expect.objectContaining({ action: 'suppress', source: 'admin', actor: 'agent-7', reason: 'manual' }),
    ]);
  });

  it('suppresses an address no contact holds, logged nowhere but kept by its hash', async () => {
    const email = uniqueEmail('nobody');
    const added = await suppress(email, 'hard-bounce');
    expect(added.suppression).toMatchObject({ email, contactId: null, reason: 'hard-bounce' });
    expect(await reasonsOf(email)).toEqual(['hard_bounce']);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const before = await h.db.suppression.count();
    expectRefusal(
      await h.request('POST', '/v1/suppressions', { email: 'not-an-address', reason: 'manual' }),
      400,
      'invalid_request',
      'email',
    );
    expectRefusal(
      await h.request('POST', '/v1/suppressions', { email: uniqueEmail(), reason: 'erasure' }),
      400,
      'invalid_request',
      'reason',
    );
    expectRefusal(
      await h.request('POST', '/v1/suppressions', { email: uniqueEmail() }),
      400,
      'invalid_request',
      'reason',
    );
    expectRefusal(
      await h.request('POST', '/v1/suppressions', { email: uniqueEmail(), reason: 'manual', colour: 'red' }),
      400,
      'invalid_request',
    );
    expect(await h.db.suppression.count()).toBe(before);
  });

  it('answers 401 without the API key', async () => {
    const response = await fetch(`${h.url}/v1/suppressions`);
    expect(response.status).toBe(401);
  });
});

describe('GET /v1/suppressions', () => {
  const run = tag();
  const emails = Array.from({ length: 5 }, (_, i) => `list-${run}-${i}@example.test`);

  beforeAll(async () => {
    for (const [i, email] of emails.entries()) {
      if (i < 4) await contactWith(email);
      await suppress(email, i % 2 === 0 ? 'manual' : 'complaint');
    }
    await suppress(emails[0] as string, 'hard-bounce');
  });

  it('searches by the start of a contact’s address, newest first, with each address shown', async () => {
    const { status, body } = await h.request('GET', `/v1/suppressions?q=LIST-${run}`);
    expect(status, JSON.stringify(body)).toBe(200);
    // The fifth address belongs to no contact: a partial search cannot know it.
    expect(body.suppressions.map((s: any) => [s.email, s.reason])).toEqual([
      [emails[0], 'hard-bounce'],
      [emails[3], 'complaint'],
      [emails[2], 'manual'],
      [emails[1], 'complaint'],
      [emails[0], 'manual'],
    ]);
    expect(body.next).toBeNull();
  });

  it('finds a whole address by its hash, whether or not a contact holds it', async () => {
    const { body } = await h.request('GET', `/v1/suppressions?q=${encoded(emails[4] as string)}`);
    expect(body.suppressions).toEqual([
      expect.objectContaining({
        email: emails[4],
        reason: 'manual',
        contactId: null,
        addressHash: hashAddress(emails[4] as string),
      }),
    ]);
  });

  it('filters by reason', async () => {
    const { body } = await h.request('GET', `/v1/suppressions?q=list-${run}&reason=complaint`);
    expect(body.suppressions.map((s: any) => s.email)).toEqual([emails[3], emails[1]]);
  });

  it('pages with the cursor it gives, without repeating or skipping a row', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/v1/suppressions?q=list-${run}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await h.request('GET', query);
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.suppressions.length).toBeLessThanOrEqual(2);
      seen.push(...body.suppressions.map((s: any) => s.id));
      cursor = body.next;
      pages++;
    } while (cursor && pages < 10);
    const all = await h.request('GET', `/v1/suppressions?q=list-${run}`);
    expect(seen).toEqual(all.body.suppressions.map((s: any) => s.id));
    expect(pages).toBe(3);
  });

  it('refuses a bad reason, cursor or limit with 400 naming it', async () => {
    expectRefusal(await h.request('GET', '/v1/suppressions?reason=spam'), 400, 'invalid_request', 'reason');
    expectRefusal(await h.request('GET', '/v1/suppressions?cursor=abc'), 400, 'invalid_request', 'cursor');
    expectRefusal(await h.request('GET', '/v1/suppressions?limit=1000'), 400, 'invalid_request', 'limit');
  });
});

describe('DELETE /v1/suppressions/{address}', () => {
  it('lifts the address’s suppressions and logs each as unsuppress with the written reason', async () => {
    const email = uniqueEmail('lift');
    const contactId = await contactWith(email);
    await suppress(email, 'manual');
    await suppress(email, 'complaint');
    const lifted = await h.request('DELETE', `/v1/suppressions/${encoded(email.toUpperCase())}`, {
      reason: 'Confirmed by phone that they want our mail again',
      actor: 'agent-7',
    });
    expect(lifted.status, JSON.stringify(lifted.body)).toBe(200);
    expect(lifted.body).toEqual({ email, removed: ['complaint', 'manual'], kept: [] });
    expect(await reasonsOf(email)).toEqual([]);
    const log = await h.request('GET', `/v1/contacts/${contactId}/consent-log`);
    expect(log.body.entries.filter((e: any) => e.action === 'unsuppress')).toEqual([
      expect.objectContaining({
        source: 'admin',
        actor: 'agent-7',
        reason: 'complaint: Confirmed by phone that they want our mail again',
      }),
      expect.objectContaining({ reason: 'manual: Confirmed by phone that they want our mail again' }),
    ]);
  });

  it('takes the reason in the query, and lifts only the suppression named', async () => {
    const email = uniqueEmail('query');
    await contactWith(email);
    await suppress(email, 'manual');
    await suppress(email, 'hard-bounce');
    const lifted = await h.request(
      'DELETE',
      `/v1/suppressions/${encoded(email)}?only=manual&reason=${encodeURIComponent('Added by mistake')}`,
    );
    expect(lifted.status, JSON.stringify(lifted.body)).toBe(200);
    expect(lifted.body.removed).toEqual(['manual']);
    expect(await reasonsOf(email)).toEqual(['hard_bounce']);
    expectRefusal(
      await h.request('DELETE', `/v1/suppressions/${encoded(email)}`, {
        only: 'complaint',
        reason: 'Not there',
      }),
      404,
      'not_suppressed',
    );
  });

  it('removes the suppression and writes its log row in one transaction: a failed log write leaves both as they were', async () => {
    const email = uniqueEmail('atomic');
    const contactId = await contactWith(email);
    await suppress(email, 'manual');
    await h.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_unsuppress() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'unsuppress' THEN RAISE EXCEPTION 'consent log unavailable'; END IF; RETURN NEW; END $$`);
    await h.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_unsuppress BEFORE INSERT ON consent_log FOR EACH ROW EXECUTE FUNCTION refuse_unsuppress()`,
    );
    try {
      const failed = await h.request('DELETE', `/v1/suppressions/${encoded(email)}`, {
        reason: 'Try to lift it',
      });
      expect(failed.status).toBe(500);
    } finally {
      await h.db.$executeRawUnsafe('DROP TRIGGER refuse_unsuppress ON consent_log');
      await h.db.$executeRawUnsafe('DROP FUNCTION refuse_unsuppress()');
    }
    expect(await reasonsOf(email)).toEqual(['manual']);
    const entries = (await h.request('GET', `/v1/contacts/${contactId}/consent-log`)).body.entries;
    expect(entries.map((e: any) => e.action)).toEqual(['suppress']);
  });

  it('never lifts an erasure: 409 when it is all there is or when named, and it stays', async () => {
    const email = uniqueEmail('erased');
    const contactId = await contactWith(email);
    expect((await h.request('DELETE', `/v1/contacts/${contactId}`)).status).toBe(200);
    const body = { reason: 'They want to come back' };
    expectRefusal(
      await h.request('DELETE', `/v1/suppressions/${encoded(email)}`, body),
      409,
      'erasure_not_removable',
    );
    expectRefusal(
      await h.request('DELETE', `/v1/suppressions/${encoded(email)}`, { ...body, only: 'erasure' }),
      409,
      'erasure_not_removable',
    );
    await suppress(email, 'hard-bounce');
    const lifted = await h.request('DELETE', `/v1/suppressions/${encoded(email)}`, body);
    expect(lifted.body).toEqual({ email, removed: ['hard-bounce'], kept: ['erasure'] });
    expect(await reasonsOf(email)).toEqual(['erasure']);
  });

  it('answers 404 not_suppressed for an address on no list, and 400 naming a missing reason or a bad address', async () => {
    const email = uniqueEmail('unknown');
    expectRefusal(
      await h.request('DELETE', `/v1/suppressions/${encoded(email)}`, { reason: 'Just checking' }),
      404,
      'not_suppressed',
    );
    await suppress(email, 'manual');
    expectRefusal(
      await h.request('DELETE', `/v1/suppressions/${encoded(email)}`),
      400,
      'invalid_request',
      'reason',
    );
    expectRefusal(
      await h.request('DELETE', `/v1/suppressions/${encoded(email)}`, { reason: 'x' }),
      400,
      'invalid_request',
      'reason',
    );
    expectRefusal(
      await h.request('DELETE', '/v1/suppressions/not-an-address', { reason: 'Lift it' }),
      400,
      'invalid_request',
      'address',
    );
    expect(await reasonsOf(email)).toEqual(['manual']);
  });
});

describe('manual and soft-bounce-limit suppressions at send time, through the worker', () => {
  it('blocks required mail to a manually suppressed address until it is lifted', async () => {
    const email = uniqueEmail('blocked');
    await contactWith(email);
    await suppress(email, 'manual');
    const blocked = await send('security-sign-in', email, SIGN_IN);
    expect(await waitForStatus(h, blocked)).toMatchObject({ status: 'suppressed', reason: 'manual' });

    await h.request('DELETE', `/v1/suppressions/${encoded(email)}`, { reason: 'Their mailbox works again' });
    const allowed = await send('security-sign-in', email, SIGN_IN);
    expect(await waitForStatus(h, allowed)).toMatchObject({ status: 'sent' });
    const received = h.catcher.messages().map((m) => m.heraldMessageId);
    expect(received).toContain(allowed);
    expect(received).not.toContain(blocked);
  });

  it('blocks required mail once soft bounces in a row reach HERALD_SOFT_BOUNCE_LIMIT', async () => {
    const email = uniqueEmail('soft');
    await contactWith(email);
    const softBounce = {
      channel: 'api',
      kind: 'soft-bounce',
      email,
      status: '4.2.2',
      detail: 'mailbox full',
    } as const;
    await recordFeedback(h.db, [softBounce, softBounce], { softBounceLimit: 3 });
    const first = await send('security-sign-in', email, SIGN_IN);
    expect(await waitForStatus(h, first)).toMatchObject({ status: 'sent' });

    await recordFeedback(h.db, [softBounce], { softBounceLimit: 3 });
    expect(await reasonsOf(email)).toEqual(['soft_bounce_limit']);
    const second = await send('security-sign-in', email, SIGN_IN);
    expect(await waitForStatus(h, second)).toMatchObject({
      status: 'suppressed',
      reason: 'soft-bounce-limit',
    });
    expect(h.catcher.messages().map((m) => m.heraldMessageId)).not.toContain(second);
  });
});

describe('the latest reports and the rates', () => {
  const start = new Date(Date.now() - 60 * 60 * 1000);
  let notices: string[] = [];
  let syncBounce = '';
  let newsletter = '';
  let campaignId = '';
  let campaignMessages: { id: string }[] = [];

  beforeAll(async () => {
    notices = [];
    for (let i = 0; i < 4; i++) notices.push(await send('security-sign-in', uniqueEmail('rate'), SIGN_IN));
    syncBounce = await send('security-sign-in', uniqueEmail('bounce-rate'), SIGN_IN);
    newsletter = await send('newsletter', uniqueEmail('news'), NEWSLETTER);
    const run = newRun();
    await insertContacts(h, { run, count: 3, label: 'rates' });
    campaignId = await createNewsletterCampaign(h, run, { name: `Rates ${run}` });
    await waitForCampaign(h, campaignId, (c) => c.status === 'sent', 30_000);
    for (const id of [...notices, newsletter])
      expect(await waitForStatus(h, id)).toMatchObject({ status: 'sent' });
    expect(await waitForStatus(h, syncBounce)).toMatchObject({ status: 'bounced' });
    campaignMessages = await h.db.message.findMany({
      where: { campaignId },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    await recordFeedback(
      h.db,
      [
        {
          channel: 'inbound-smtp',
          kind: 'hard-bounce',
          messageId: notices[0],
          status: '5.1.1',
          detail: 'no such user',
        },
        {
          channel: 'sendgrid',
          kind: 'complaint',
          messageId: newsletter,
          providerEventId: `sendgrid:${tag()}`,
        },
        { channel: 'ses', kind: 'complaint', messageId: campaignMessages[0]?.id },
        { channel: 'api', kind: 'hard-bounce', email: uniqueEmail('stranger') },
      ],
      { softBounceLimit: 3 },
    );
  });

  it('lists the latest reports newest first, matched or not, with the campaign’s name', async () => {
    const { status, body } = await h.request('GET', '/v1/feedback/reports?limit=4');
    expect(status, JSON.stringify(body)).toBe(200);
    const byChannel = Object.fromEntries(body.reports.map((r: any) => [r.channel, r]));
    expect(byChannel['inbound-smtp']).toMatchObject({
      kind: 'hard-bounce',
      status: '5.1.1',
      detail: 'no such user',
      matched: true,
      effect: 'suppressed',
      messageId: notices[0],
      class: 'transactional',
      campaignId: null,
    });
    expect(byChannel.sendgrid).toMatchObject({
      kind: 'complaint',
      effect: 'suppressed',
      class: 'promotional',
    });
    expect(byChannel.ses).toMatchObject({ campaignId, campaignName: expect.stringMatching(/^Rates /) });
    expect(byChannel.api).toMatchObject({ matched: false, effect: 'none', messageId: null, class: null });

    const times = body.reports.map((r: any) => r.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const next = await h.request('GET', `/v1/feedback/reports?limit=4&cursor=${body.next}`);
    const ids = new Set(body.reports.map((r: any) => r.id));
    expect(next.body.reports.some((r: any) => ids.has(r.id))).toBe(false);
    const complaints = await h.request('GET', '/v1/feedback/reports?kind=complaint');
    expect(complaints.body.reports.map((r: any) => r.kind)).toEqual(['complaint', 'complaint']);
  });

  it('gives hard-bounce and complaint rates per stream and per campaign over the messages sent', async () => {
    const from = start.toISOString();
    const to = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const { status, body } = await h.request('GET', `/v1/feedback/rates?from=${from}&to=${to}`);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.bucket).toBe('hour');
    expect(body.streams.transactional.points.length).toBeGreaterThanOrEqual(2);

    const sentBy = async (where: object) =>
      h.db.message.count({ where: { sentAt: { gte: start }, ...where } });
    const transactionalSent = await sentBy({ class: 'transactional' });
    const promotionalSent = await sentBy({ class: 'promotional' });
    // Two hard bounces: one refused at RCPT (never sent), one reported later; bounces in other tests count too.
    const transactional = body.streams.transactional.totals;
    expect(transactional.sent).toBe(transactionalSent);
    expect(transactional.hardBounces).toBe(
      await h.db.message.count({ where: { status: 'bounced', class: 'transactional' } }),
    );
    expect(transactional.hardBounces).toBeGreaterThanOrEqual(2);
    expect(transactional.complaints).toBe(0);
    expect(transactional.bounceRate).toBeCloseTo(transactional.hardBounces / transactionalSent);
    expect(body.streams.promotional.totals).toMatchObject({ sent: promotionalSent, complaints: 2 });
    expect(body.streams.promotional.totals.complaintRate).toBeCloseTo(2 / promotionalSent);

    const campaign = body.campaigns.find((c: any) => c.id === campaignId);
    expect(campaign.totals).toMatchObject({ sent: 3, hardBounces: 0, complaints: 1 });
    expect(campaign.totals.complaintRate).toBeCloseTo(1 / 3);
    const bucket = campaign.points.find((p: any) => p.complaints > 0);
    expect(Date.parse(bucket.at) % (60 * 60 * 1000)).toBe(0);

    const daily = await h.request('GET', `/v1/feedback/rates?from=${from}&to=${to}&bucket=day`);
    expect(daily.body.streams.promotional.totals).toEqual(body.streams.promotional.totals);
  });

  it('refuses a window that ends before it starts, or holds too many buckets, naming the field', async () => {
    expectRefusal(
      await h.request('GET', '/v1/feedback/rates?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z'),
      400,
      'invalid_request',
      'from',
    );
    expectRefusal(
      await h.request(
        'GET',
        '/v1/feedback/rates?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z&bucket=hour',
      ),
      400,
      'invalid_request',
      'from',
    );
    expectRefusal(await h.request('GET', '/v1/feedback/rates?bucket=week'), 400, 'invalid_request', 'bucket');
    expectRefusal(await h.request('GET', '/v1/feedback/reports?kind=spam'), 400, 'invalid_request', 'kind');
  });
});
