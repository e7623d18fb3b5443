import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * Signed outbound webhooks (issue 14): events written by triggers in the transaction of the change
 * (an outbox), sent by the worker to a real local HTTP receiver, signed per Standard Webhooks, in
 * order per contact, retried with backoff, and the endpoint disabled after the retry window (its
 * owners mailed in the same transaction), then enabled again with the events it held.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: {
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_BACKOFF_MAX_MS: '400',
      WEBHOOK_RETRY_WINDOW_MS: '3000',
      WEBHOOK_TIMEOUT_MS: '2000',
    },
  });
}, 60_000);
afterAll(async () => h?.close());

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
  answered: number;
}

/** A real HTTP server on port 0; `answer` chooses the status of each request (1-based count). */
async function startReceiver(answer: (count: number) => number = () => 204) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = answer(received.length + 1);
      received.push({ headers: request.headers, body, json: JSON.parse(body), answered: status });
      response.statusCode = status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    forContact: (contactId: string) => received.filter((r) => r.json.data.contactId === contactId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function register(url: string, events: string[]) {
  const created = await h.request('POST', '/v1/webhooks', { url, events, description: 'test receiver' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; secret: string };
}

async function contact(): Promise<string> {
  const created = await h.request('POST', '/v1/contacts', { email: uniqueEmail('hook') });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function setNewsletter(contactId: string, subscribed: boolean) {
  const changed = await h.request('PUT', `/v1/contacts/${contactId}/preferences`, {
    changes: [{ category: 'newsletter', subscribed }],
    reason: 'Asked by phone',
  });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
}

async function until<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The Standard Webhooks signature, computed here independently of the code under test. */
function expectedSignature(secret: string, received: Received): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${String(received.headers['webhook-id'])}.${String(received.headers['webhook-timestamp'])}.${received.body}`;
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

describe('outbound webhooks', () => {
  it('registers an endpoint with a secret shown once and audits it; refuses plain http elsewhere than localhost', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver.url, ['contact.unsubscribed']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(endpoint.secret.slice(6), 'base64')).toHaveLength(32);
    const list = await h.request('GET', '/v1/webhooks');
    const listed = (list.body.webhooks as Record<string, unknown>[]).find((w) => w.id === endpoint.id);
    expect(listed).toMatchObject({ url: receiver.url, events: ['contact.unsubscribed'], disabledAt: null });
    expect(listed).not.toHaveProperty('secret');
    expect(
      await h.db.auditLogEntry.count({ where: { action: 'webhook.created', targetId: endpoint.id } }),
    ).toBe(1);
    const plain = await h.request('POST', '/v1/webhooks', {
      url: 'http://example.test/hooks',
      events: ['contact.unsubscribed'],
    });
    expect(plain.status).toBe(400);
    const unknown = await h.request('POST', '/v1/webhooks', { url: receiver.url, events: ['contact.moved'] });
    expect(unknown.status).toBe(400);
    expect((await h.request('DELETE', `/v1/webhooks/${endpoint.id}`)).status).toBe(200);
    expect(
      await h.db.auditLogEntry.count({ where: { action: 'webhook.deleted', targetId: endpoint.id } }),
    ).toBe(1);
    await receiver.close();
  });

  it('sends contact.unsubscribed for a preference change, signed with the endpoint secret', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver.url, ['contact.unsubscribed']);
    const contactId = await contact();
    await setNewsletter(contactId, false);

    const [got] = await until(
      () => receiver.forContact(contactId),
      (list) => list.length >= 1,
    );
    expect(got?.json).toMatchObject({
      type: 'contact.unsubscribed',
      data: { contactId, category: 'newsletter', source: 'admin' },
    });
    expect(got?.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(got?.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(got?.headers['webhook-signature']).toBe(expectedSignature(endpoint.secret, got as Received));
    const entry = await h.db.consentLogEntry.findFirst({ where: { contactId }, orderBy: { id: 'desc' } });
    expect(got?.json.data.consentLogId).toBe(String(entry?.id));
    await h.request('DELETE', `/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  });

  it('reports preferences.changed and contact.erased', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver.url, ['preferences.changed', 'contact.erased']);
    const contactId = await contact();
    await setNewsletter(contactId, false);
    expect((await h.request('DELETE', `/v1/contacts/${contactId}`)).status).toBe(200);
    const got = await until(
      () => receiver.forContact(contactId),
      (list) => list.length >= 2,
    );
    expect(got.map((r) => r.json.type)).toEqual(['preferences.changed', 'contact.erased']);
    expect(got[0]?.json.data).toMatchObject({
      category: 'newsletter',
      subscribed: false,
      action: 'unsubscribe',
    });
    expect(got[1]?.json.data).toMatchObject({ category: null, action: 'suppress' });
    await h.request('DELETE', `/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  });

  it('retries a failing receiver with the same webhook-id, keeps order per contact, and logs the attempts', async () => {
    const receiver = await startReceiver((count) => (count <= 3 ? 500 : 200));
    const endpoint = await register(receiver.url, ['contact.unsubscribed', 'contact.subscribed']);
    const contactId = await contact();
    await setNewsletter(contactId, false);
    await setNewsletter(contactId, true);

    const got = await until(
      () => receiver.forContact(contactId),
      (list) => list.some((r) => r.json.type === 'contact.subscribed'),
    );
    expect(got.map((r) => [r.json.type, r.answered])).toEqual([
      ['contact.unsubscribed', 500],
      ['contact.unsubscribed', 500],
      ['contact.unsubscribed', 500],
      ['contact.unsubscribed', 200],
      ['contact.subscribed', 200],
    ]);
    expect(new Set(got.slice(0, 4).map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(got[4]?.headers['webhook-id']).not.toBe(got[0]?.headers['webhook-id']);
    for (const r of got) expect(r.headers['webhook-signature']).toBe(expectedSignature(endpoint.secret, r));

    const log = await h.request('GET', `/v1/webhooks/${endpoint.id}/deliveries`);
    expect(log.status).toBe(200);
    const deliveries = log.body.deliveries as Record<string, unknown>[];
    expect(deliveries.map((d) => [d.eventType, d.status, d.attempts, d.lastStatusCode])).toEqual([
      ['contact.subscribed', 'delivered', 1, 200],
      ['contact.unsubscribed', 'delivered', 4, 200],
    ]);
    expect(deliveries[1]?.id).toBe(got[0]?.headers['webhook-id']);

    // Send again: the same webhook-id once more.
    const resent = await h.request('POST', `/v1/webhooks/deliveries/${String(deliveries[1]?.id)}/resend`);
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    const again = await until(
      () => receiver.forContact(contactId),
      (list) => list.length === 6,
    );
    expect(again[5]?.headers['webhook-id']).toBe(deliveries[1]?.id);
    await h.request('DELETE', `/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  });

  it('writes the event in the transaction of the change: a rolled-back change leaves none', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver.url, ['contact.unsubscribed']);
    const aborted = await contact();
    const committed = await contact();
    const insert = (contactId: string) =>
      h.db.$executeRaw`INSERT INTO consent_log (contact_id, category_key, action, source, reason)
                       VALUES (${contactId}::uuid, 'newsletter', 'unsubscribe', 'admin', 'test')`;
    const outboxRows = async (contactId: string) =>
      (
        await h.db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM webhook_outbox WHERE contact_id = ${contactId}::uuid`
      )[0]?.n;
    let seenInside = 0;
    await expect(
      h.db.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO consent_log (contact_id, category_key, action, source, reason)
                             VALUES (${aborted}::uuid, 'newsletter', 'unsubscribe', 'admin', 'test')`;
        const [row] = await tx.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM webhook_outbox WHERE contact_id = ${aborted}::uuid`;
        seenInside = row?.n ?? 0;
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(seenInside).toBe(1);
    await insert(committed);

    await until(
      () => receiver.forContact(committed),
      (list) => list.length === 1,
    );
    // The committed one went out; by then the aborted one would have too.
    expect(receiver.forContact(aborted)).toHaveLength(0);
    expect(await outboxRows(aborted)).toBe(0);
    expect(await h.db.webhookDelivery.count({ where: { contactId: aborted } })).toBe(0);
    await h.request('DELETE', `/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  });

  it('signs with both secrets after a rotation, each verifying with its own', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver.url, ['contact.unsubscribed']);
    const rotated = await h.request('POST', `/v1/webhooks/${endpoint.id}/rotate-secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const secret = rotated.body.secret as string;
    expect(secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt as string) - Date.now()).toBeGreaterThan(
      23 * 3600 * 1000,
    );
    const contactId = await contact();
    await setNewsletter(contactId, false);

    const [got] = await until(
      () => receiver.forContact(contactId),
      (list) => list.length >= 1,
    );
    const signatures = String(got?.headers['webhook-signature']).split(' ');
    expect(signatures).toEqual([
      expectedSignature(secret, got as Received),
      expectedSignature(endpoint.secret, got as Received),
    ]);
    expect(
      await h.db.auditLogEntry.count({ where: { action: 'webhook.secret-rotated', targetId: endpoint.id } }),
    ).toBe(1);
    await h.request('DELETE', `/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  });

  it('disables an endpoint still failing after the retry window, with an audit row', async () => {
    const receiver = await startReceiver(() => 503);
    const endpoint = await register(receiver.url, ['contact.unsubscribed']);
    const contactId = await contact();
    await setNewsletter(contactId, false);

    const disabled = await until(
      async () =>
        ((await h.request('GET', '/v1/webhooks')).body.webhooks as Record<string, unknown>[]).find(
          (w) => w.id === endpoint.id,
        ),
      (w) => w?.disabledAt !== null,
    );
    expect(disabled?.disabledReason).toMatch(/failed for longer than 3 s \(last: HTTP 503\)/);
    const audit = await h.db.auditLogEntry.findFirst({
      where: { action: 'webhook.disabled', targetId: endpoint.id },
    });
    expect(audit?.actor).toBe('system');
    const log = await h.request('GET', `/v1/webhooks/${endpoint.id}/deliveries`);
    const [delivery] = log.body.deliveries as Record<string, unknown>[];
    expect(delivery).toMatchObject({ status: 'failed', lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(delivery?.attempts as number).toBeGreaterThan(3);
    expect(receiver.forContact(contactId)).toHaveLength(delivery?.attempts as number);
    await receiver.close();
  }, 20_000);

  it('mails every active owner when it disables an endpoint, in the transaction of the disable', async () => {
    const run = randomBytes(4).toString('hex');
    const accounts = {
      owner: `owner-${run}@example.test`,
      formerOwner: `former-${run}@example.test`,
      viewer: `viewer-${run}@example.test`,
    };
    await h.db.adminUser.createMany({
      data: [
        { email: accounts.owner, passwordHash: 'unused', role: 'owner' },
        { email: accounts.formerOwner, passwordHash: 'unused', role: 'owner', deactivatedAt: new Date() },
        { email: accounts.viewer, passwordHash: 'unused', role: 'viewer' },
      ],
    });
    const receiver = await startReceiver(() => 503);
    const token = randomBytes(8).toString('hex');
    const endpoint = await register(`${receiver.url}?token=${token}`, ['contact.unsubscribed']);
    try {
      const ownerMail = () =>
        h.db.message.findMany({
          where: { idempotencyKey: { startsWith: `webhook-endpoint-disabled:${endpoint.id}:` } },
          include: { contact: true, template: true },
        });
      await setNewsletter(await contact(), false);
      await until(
        async () => h.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } }),
        (row) => row.disabledAt !== null,
      );
      // Stored with the disable: visible the moment the disable is, without waiting for anything.
      const stored = await ownerMail();
      expect(stored.map((m) => [m.contact.email, m.template.key, m.categoryKey])).toEqual([
        [accounts.owner, 'webhook-endpoint-disabled', 'security'],
      ]);

      const mail = await h.catcher.waitFor((m) => m.envelope.to.includes(accounts.owner), {
        timeoutMs: 15_000,
      });
      const host = new URL(receiver.url).host;
      expect(mail.subject).toBe(`Herald stopped sending events to ${host}/hooks`);
      const text = String((await mail.parse()).text);
      expect(text).toMatch(/failed for longer than 3 s \(last: HTTP 503\)/);
      expect(text).toContain(`https://prefs.example.test/admin/webhooks?endpoint=${endpoint.id}`);
      // The endpoint's query string may hold a token: the mail never shows it.
      expect(text).not.toContain(token);
      expect(mail.subject).not.toContain(token);
      expect(
        h.catcher
          .messages()
          .filter(
            (m) => m.envelope.to.includes(accounts.formerOwner) || m.envelope.to.includes(accounts.viewer),
          ),
      ).toEqual([]);
    } finally {
      await h.request('DELETE', `/v1/webhooks/${endpoint.id}`);
      await h.db.adminUser.deleteMany({ where: { email: { in: Object.values(accounts) } } });
      await receiver.close();
    }
  }, 30_000);

  it('enables a disabled endpoint again: the events it held are delivered, in order, and it is audited', async () => {
    let failing = true;
    const receiver = await startReceiver(() => (failing ? 503 : 204));
    const endpoint = await register(receiver.url, ['contact.unsubscribed', 'contact.subscribed']);
    const first = await contact();
    const second = await contact();
    // The first contact's second event waits behind its first (order per contact); the other
    // contact's event fails on its own, until the endpoint is disabled.
    await setNewsletter(first, false);
    await setNewsletter(first, true);
    await setNewsletter(second, false);
    await until(
      async () => h.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } }),
      (row) => row.disabledAt !== null,
    );
    // Disabled: nothing more is tried (the other contact's last attempt may still have been in flight).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const attemptsBefore = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.length).toBe(attemptsBefore);
    const held = await h.db.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(held.map((row) => row.status).sort()).toEqual(expect.arrayContaining(['failed', 'pending']));
    expect(held).toHaveLength(3);
    const firstAttemptId = receiver.forContact(first)[0]?.headers['webhook-id'];

    failing = false;
    const enabled = await h.request('POST', `/v1/webhooks/${endpoint.id}/enable`);
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect(enabled.body).toMatchObject({
      id: endpoint.id,
      disabledAt: null,
      disabledReason: null,
      requeued: 3,
    });

    const delivered = await until(
      () => receiver.forContact(first).filter((r) => r.answered === 204),
      (list) => list.length === 2,
    );
    expect(delivered.map((r) => r.json.type)).toEqual(['contact.unsubscribed', 'contact.subscribed']);
    expect(delivered[0]?.headers['webhook-id']).toBe(firstAttemptId);
    await until(
      () => receiver.forContact(second).filter((r) => r.answered === 204),
      (list) => list.length === 1,
    );
    const log = await until(
      async () => (await h.request('GET', `/v1/webhooks/${endpoint.id}/deliveries`)).body.deliveries,
      (rows: Record<string, unknown>[]) => rows.every((row) => row.status === 'delivered'),
    );
    expect(log).toHaveLength(3);

    const audit = await h.db.auditLogEntry.findMany({
      where: { action: 'webhook.enabled', targetId: endpoint.id },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe('bootstrap-key');
    expect(audit[0]?.details).toMatchObject({ url: receiver.url, requeued: 3 });
    expect(String((audit[0]?.details as { disabledReason: string }).disabledReason)).toMatch(
      /failed for longer than 3 s/,
    );

    // Enabled already: 409, and nothing changes.
    const again = await h.request('POST', `/v1/webhooks/${endpoint.id}/enable`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/is not disabled/);
    expect(
      await h.db.auditLogEntry.count({ where: { action: 'webhook.enabled', targetId: endpoint.id } }),
    ).toBe(1);
    await h.request('DELETE', `/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  }, 30_000);

  it('answers 404 for enabling an unknown endpoint, 400 for an id that is none', async () => {
    const unknown = await h.request('POST', `/v1/webhooks/${randomUUID()}/enable`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect((await h.request('POST', '/v1/webhooks/not-an-id/enable')).status).toBe(400);
  });

  it('reports messages sent, bounced and complained about, finished campaigns and acknowledged notices', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver.url, [
      'message.sent',
      'message.bounced',
      'message.complained',
      'contact.suppressed',
      'campaign.finished',
      'policy.notice.acknowledged',
    ]);
    const send = async () => {
      const email = uniqueEmail('sent');
      expect((await h.request('POST', '/v1/contacts', { email })).status).toBe(201);
      const sent = await h.request('POST', '/v1/messages', {
        template: 'service-notice',
        to: { email },
        data: { title: 'Maintenance window', body: 'We will be read-only for 20 minutes on Saturday.' },
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(202);
      const message = await until(
        async () => h.db.message.findUniqueOrThrow({ where: { id: sent.body.id as string } }),
        (m) => m.status === 'sent',
      );
      return message;
    };
    const complained = await send();
    const bounced = await send();
    expect(
      (await h.request('POST', '/v1/feedback', { type: 'complaint', messageId: complained.id })).status,
    ).toBeLessThan(300);
    expect(
      (await h.request('POST', '/v1/feedback', { type: 'bounce', bounce: 'hard', messageId: bounced.id }))
        .status,
    ).toBeLessThan(300);
    const types = (contactId: string) => receiver.forContact(contactId).map((r) => r.json.type);
    await until(
      () => types(complained.contactId),
      (list) => list.length >= 3,
    );
    expect(types(complained.contactId)).toEqual(['message.sent', 'message.complained', 'contact.suppressed']);
    await until(
      () => types(bounced.contactId),
      (list) => list.includes('message.bounced'),
    );
    expect(types(bounced.contactId)).toContain('message.sent');
    expect(receiver.forContact(complained.contactId)[0]?.json.data).toMatchObject({
      messageId: complained.id,
      category: complained.categoryKey,
      templateId: complained.templateId,
      status: 'sent',
    });

    // Campaign and notice transitions, made directly: the triggers see every writer alike.
    const template = await h.db.template.findFirstOrThrow({ where: { category: { class: 'promotional' } } });
    const campaign = await h.db.campaign.create({
      data: {
        name: 'hooks',
        templateId: template.id,
        categoryKey: template.categoryKey,
        audience: {},
        status: 'sending',
      },
    });
    await h.db.campaign.update({ where: { id: campaign.id }, data: { status: 'sent' } });
    // Never announced, so the policy sweep leaves it alone.
    const policy = await h.db.policyVersion.create({
      data: {
        version: `hooks-${campaign.id}`,
        title: 'Terms',
        summary: 'New terms',
        url: 'https://example.test/terms',
        effectiveAt: new Date(Date.now() + 60 * 86_400_000),
        requiredNoticeDays: 30,
      },
    });
    const notice = await h.db.notice.create({
      data: { policyVersionId: policy.id, contactId: bounced.contactId },
    });
    await h.db.notice.update({ where: { id: notice.id }, data: { acknowledgedAt: new Date() } });
    const [acknowledged] = await until(
      () =>
        receiver.forContact(bounced.contactId).filter((r) => r.json.type === 'policy.notice.acknowledged'),
      (list) => list.length === 1,
    );
    expect(acknowledged?.json.data).toMatchObject({ noticeId: notice.id, policyVersionId: policy.id });
    const finished = await until(
      () => receiver.received.filter((r) => r.json.type === 'campaign.finished'),
      (list) => list.length === 1,
    );
    expect(finished[0]?.json.data).toMatchObject({ campaignId: campaign.id, name: 'hooks', status: 'sent' });
    await h.request('DELETE', `/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  });

  it('loses no event while the worker is stopped: they go out once it is back', async () => {
    const receiver = await startReceiver();
    const endpoint = await register(receiver.url, ['contact.unsubscribed', 'contact.subscribed']);
    await h.stopWorker();
    const contacts = [await contact(), await contact(), await contact()];
    for (const contactId of contacts) {
      await setNewsletter(contactId, false);
      await setNewsletter(contactId, true);
    }
    expect(receiver.received).toHaveLength(0);
    await h.startWorker();

    for (const contactId of contacts) {
      const got = await until(
        () => receiver.forContact(contactId),
        (list) => list.length >= 2,
      );
      expect(got.map((r) => r.json.type)).toEqual(['contact.unsubscribed', 'contact.subscribed']);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(6);
    await h.request('DELETE', `/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  }, 30_000);
});
