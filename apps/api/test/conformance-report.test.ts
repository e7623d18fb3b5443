import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { verifyReport } from '../src/conformance/sign-report.js';
import { addSubscriber, startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

/**
 * The conformance report against what really happened in this file's own database: opt-outs
 * through the API and a complaint through POST /v1/feedback, mail sent by the real worker, a policy
 * announced and delivered; and, written behind Herald's back, the breaches it must show (a
 * newsletter that started after an opt-out, a required message stopped for no address reason).
 */
const NEWSLETTER = {
  headline: 'News',
  intro: 'What changed.',
  articles: [{ title: 'Faster', summary: 'Faster sends.', url: 'https://example.com/a' }],
};
const DAY = 24 * 3600 * 1000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { HERALD_POLICY_SWEEP_INTERVAL_MS: '200' } });
}, 60_000);
afterAll(async () => h?.close());

async function send(template: string, contactId: string, data: object) {
  const response = await h.request('POST', '/v1/messages', { template, to: { contactId }, data });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return waitForStatus(h, response.body.id);
}

async function report(from = day(-1), to = day(1)) {
  const response = await h.request('GET', `/v1/reports/conformance?from=${from}&to=${to}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** A message written as if a worker had started and sent it now: what Herald must never do after an opt-out. */
async function sentBehindHerald(contactId: string, templateKey: string, status = 'sent', reason?: string) {
  const template = await h.db.template.findFirstOrThrow({
    where: { key: templateKey, locale: null },
    orderBy: { version: 'desc' },
    include: { category: true },
  });
  const id = randomUUID();
  await h.db.message.create({
    data: {
      id,
      contactId,
      templateId: template.id,
      categoryKey: template.categoryKey,
      class: template.category.class,
      status: status as never,
      ...(reason && { reason }),
      sendStartedAt: new Date(),
      ...(status === 'sent' && { sentAt: new Date() }),
    },
  });
  return id;
}

describe('the conformance report', () => {
  it('signs the report with the published evidence key, so a saved copy can be checked later', async () => {
    const body = await report();
    const key = await fetch(`${h.url}/.well-known/herald-evidence-key`).then(
      (response) => response.json() as Promise<{ keyId: string; publicKeyPem: string }>,
    );
    expect(body.signature).toMatchObject({ keyId: key.keyId, algorithm: 'Ed25519' });
    expect(verifyReport(JSON.stringify(body), key.publicKeyPem)).toEqual({ ok: true, keyId: key.keyId });
    const changed = { ...body, optOuts: { ...body.optOuts, messagesAfter: body.optOuts.messagesAfter + 1 } };
    expect(verifyReport(JSON.stringify(changed), key.publicKeyPem)).toMatchObject({ ok: false });
  });

  it('refuses a malformed or reversed period, naming the field', async () => {
    const bad = await h.request('GET', '/v1/reports/conformance?from=yesterday&to=2026-12-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/from: must be a date/);
    const reversed = await h.request('GET', `/v1/reports/conformance?from=${day(1)}&to=${day(-3)}`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.message).toContain('"from" must be before "to"');
    const long = await h.request('GET', '/v1/reports/conformance?from=2024-01-01&to=2026-01-01');
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('at most 400 days');
  });

  it('shows each opt-out by channel, and no message after it when Herald kept the promise', async () => {
    const kept = await addSubscriber(h, uniqueEmail('kept'));
    const change = await h.request('PUT', `/v1/contacts/${kept}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: false }],
      reason: 'Asked by phone',
    });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    const after = await send('newsletter', kept, NEWSLETTER);
    expect(after).toMatchObject({ status: 'suppressed', reason: 'category-opt-out' });
    // Subscribed again: what is sent after that is consented.
    await h.request('PUT', `/v1/contacts/${kept}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: true }],
      reason: 'Asked by phone to get it again',
    });
    expect((await send('newsletter', kept, NEWSLETTER)).status).toBe('sent');

    const body = await report();
    // A change made with a reason through the API is support recording what someone asked for.
    const support = body.optOuts.byChannel.find((row: { channel: string }) => row.channel === 'support');
    // Measured from the request's arrival at the API to the opt-out's consent-log row.
    expect(support).toMatchObject({
      channel: 'support',
      optOuts: 1,
      effect: { kind: 'measured', matched: 1 },
      messagesAfter: 0,
    });
    expect(support.effect.medianMs).toBeGreaterThanOrEqual(0);
    expect(support.effect.maxMs).toBeLessThan(10_000);
    const [logged] = await h.db.$queryRaw<{ requested_at: Date | null; occurred_at: Date }[]>`
      SELECT requested_at, occurred_at FROM consent_log
       WHERE contact_id = ${kept}::uuid AND action = 'unsubscribe'`;
    expect(logged!.requested_at).not.toBeNull();
    expect(logged!.requested_at!.getTime()).toBeLessThanOrEqual(logged!.occurred_at.getTime() + 5);
    expect(body.optOuts).toMatchObject({ total: 1, messagesAfter: 0, breaches: [] });
  });

  it('says "same transaction" for a channel none of whose opt-outs recorded when its request arrived', async () => {
    const reader = await addSubscriber(h, uniqueEmail('unmeasured'));
    // As rows written before requested_at existed: an opt-out through the API with no arrival time.
    await h.db.$executeRaw`
      INSERT INTO consent_log (contact_id, category_key, action, source)
      VALUES (${reader}::uuid, 'newsletter', 'unsubscribe', 'api')`;
    const body = await report();
    const api = body.optOuts.byChannel.find((row: { channel: string }) => row.channel === 'api');
    expect(api).toMatchObject({ optOuts: 1, effect: { kind: 'same-transaction' } });
  });

  it('names an opt-out a promotional message started after, with that message', async () => {
    const reader = await addSubscriber(h, uniqueEmail('breached'));
    await h.request('PUT', `/v1/contacts/${reader}/preferences`, {
      changes: [],
      allPromotional: false,
      reason: 'Asked by mail to stop all marketing',
    });
    const breach = await sentBehindHerald(reader, 'newsletter');
    // Transactional mail after a marketing opt-out is no breach.
    await sentBehindHerald(reader, 'service-notice');

    const body = await report();
    expect(body.optOuts.messagesAfter).toBe(1);
    expect(body.optOuts.breaches).toEqual([
      expect.objectContaining({
        contactId: reader,
        channel: 'support',
        category: null,
        messages: [expect.objectContaining({ messageId: breach, category: 'newsletter', status: 'sent' })],
      }),
    ]);
  });

  it('measures a complaint from the report to the suppression', async () => {
    const reader = await addSubscriber(h, uniqueEmail('complains'));
    const message = await send('newsletter', reader, NEWSLETTER);
    expect(message.status).toBe('sent');
    const complaint = await h.request('POST', '/v1/feedback', { type: 'complaint', messageId: message.id });
    expect(complaint.status, JSON.stringify(complaint.body)).toBe(202);

    const body = await report();
    const row = body.optOuts.byChannel.find((entry: { channel: string }) => entry.channel === 'complaint');
    expect(row).toMatchObject({ optOuts: 1, effect: { kind: 'measured', matched: 1 }, messagesAfter: 0 });
    expect(row.effect.medianMs).toBeGreaterThanOrEqual(0);
    expect(row.effect.medianMs).toBeLessThan(60_000);
  });

  it('separates required mail stopped by an undeliverable address from required mail stopped otherwise', async () => {
    const gone = await addSubscriber(h, uniqueEmail('gone'));
    const suppressed = await h.request('POST', '/v1/suppressions', {
      email: (await h.db.contact.findUniqueOrThrow({ where: { id: gone } })).email,
      reason: 'hard-bounce',
      detail: 'Bounced 5.1.1 in the old system',
    });
    expect(suppressed.status, JSON.stringify(suppressed.body)).toBe(201);
    const stopped = await send('security-sign-in', gone, {
      signInUrl: 'https://app.example.com/sign-in/abc',
      expiresInMinutes: 15,
    });
    const sent = await send('security-sign-in', await addSubscriber(h, uniqueEmail('signs-in')), {
      signInUrl: 'https://app.example.com/sign-in/def',
      expiresInMinutes: 15,
    });
    expect(sent.status).toBe('sent');
    expect(stopped).toMatchObject({ status: 'suppressed', reason: 'hard-bounce' });
    const refused = await sentBehindHerald(gone, 'security-sign-in', 'failed', 'blocked: 554 5.7.1 policy');

    const body = await report();
    expect(body.requiredMail).toMatchObject({ otherwise: 1 });
    expect(body.requiredMail.sent).toBeGreaterThanOrEqual(1);
    expect(body.requiredMail.byReason).toEqual(
      expect.arrayContaining([
        {
          status: 'suppressed',
          reason: stopped.reason,
          messages: 1,
          undeliverable: stopped.reason !== 'manual',
        },
        { status: 'failed', reason: 'blocked: 554 5.7.1 policy', messages: 1, undeliverable: false },
      ]),
    );
    expect(body.requiredMail.breaches.map((row: { messageId: string }) => row.messageId)).toContain(refused);
  });

  it('holds each campaign to the complaint and bounce limits, and reports each policy version coverage', async () => {
    const readers = [];
    for (let i = 0; i < 3; i++) readers.push(await addSubscriber(h, uniqueEmail(`campaign-${i}`)));
    const campaign = await h.request('POST', '/v1/campaigns', {
      name: `Conformance ${Date.now()}`,
      template: 'newsletter',
      data: NEWSLETTER,
      audience: { categories: ['newsletter'] },
      sendAt: new Date().toISOString(),
    });
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    const deadline = Date.now() + 30_000;
    while ((await h.request('GET', `/v1/campaigns/${campaign.body.id}`)).body.status !== 'sent') {
      if (Date.now() > deadline) throw new Error('campaign not sent');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const one = await h.db.message.findFirstOrThrow({
      where: { campaignId: campaign.body.id, status: 'sent' },
    });
    await h.request('POST', '/v1/feedback', { type: 'complaint', messageId: one.id });

    const policy = await h.request('POST', '/v1/policies', {
      version: `conformance-${Date.now().toString(36)}`,
      title: 'Privacy Policy',
      summary: 'We keep logs for 90 days.',
      url: 'https://example.com/legal/privacy',
      effectiveAt: new Date(Date.now() + 40 * DAY).toISOString(),
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    await h.request('POST', `/v1/policies/${policy.body.id}/announce`, {});
    let row: any;
    const until = Date.now() + 30_000;
    for (;;) {
      const body = await report(day(-1), day(45));
      row = body.policies.find((entry: { id: string }) => entry.id === policy.body.id);
      if (row?.everyoneEmailedAt) {
        const listed = body.campaigns.find((entry: { id: string }) => entry.id === campaign.body.id);
        expect(listed).toMatchObject({ left: expect.any(Number), complaints: 1, overComplaintLimit: true });
        expect(listed.complaintRate).toBeCloseTo(1 / listed.left);
        expect(body.limits).toMatchObject({ complaintRate: 0.003, mailboxProviderComplaintRate: 0.003 });
        break;
      }
      if (Date.now() > until) throw new Error(`policy not delivered: ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(row).toMatchObject({
      requiredNoticeDays: 30,
      overrideReason: null,
      notifiedBeforeEffective: true,
      coverageAtEffective: 1,
    });
    expect(row.noticeDays).toBeCloseTo(40, 0);
    expect(row.reachable).toBe(row.deliveredBeforeEffective);
  });
});
