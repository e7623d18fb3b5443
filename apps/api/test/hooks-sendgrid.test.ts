import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentLog,
  deliver,
  feedbackState,
  messageState,
  nextMessage,
  postHook,
  suppressionReasons,
  expectHardBounceApplied,
  expectComplaintApplied,
} from './support/feedback-scenarios.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

// The key pair SendGrid would hold: the test signs with the private key and configures Herald with
// the public one, as SendGrid shows it (base64 DER SubjectPublicKeyInfo).
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PUBLIC_KEY = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { HERALD_SENDGRID_PUBLIC_KEY: PUBLIC_KEY } });
});
afterAll(async () => h?.close());

const now = () => String(Math.floor(Date.now() / 1000));
const eventId = () => randomBytes(16).toString('base64url');

/** Posts `events` as SendGrid does: the JSON array, signed over timestamp + body. */
function postEvents(events: object[], options: { key?: typeof privateKey; timestamp?: string } = {}) {
  const body = JSON.stringify(events);
  const timestamp = options.timestamp ?? now();
  const signature = sign(
    'sha256',
    Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]),
    options.key ?? privateKey,
  ).toString('base64');
  return postHook(h.url, '/hooks/sendgrid', body, {
    'X-Twilio-Email-Event-Webhook-Signature': signature,
    'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
  });
}

/** An event shaped as SendGrid's Event Webhook Reference shows it, for a message Herald sent. */
function event(kind: string, message: { id: string; email: string }, fields: object = {}) {
  return {
    email: message.email,
    timestamp: Math.floor(Date.now() / 1000),
    'smtp-id': `<${message.id}@mail.example.test>`,
    event: kind,
    category: 'cat facts',
    sg_event_id: eventId(),
    sg_message_id: `${randomBytes(8).toString('hex')}.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0`,
    ...fields,
  };
}

describe('POST /hooks/sendgrid (Signed Event Webhook)', () => {
  it('a signed hard bounce bounces the message and suppresses the address: the next security-sign-in is suppressed', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const response = await postEvents([
      event('bounce', sent, {
        reason: '550 5.1.1 The email account that you tried to reach does not exist.',
        status: '5.1.1',
        type: 'bounce',
      }),
    ]);
    await expectHardBounceApplied(h, sent, response);
  });

  it('a spam report suppresses the next newsletter (complaint) while security mail still goes', async () => {
    const sent = await deliver(h, 'newsletter');
    const response = await postEvents([event('spamreport', sent)]);
    expect(response.body).toMatchObject({ received: 1, applied: 1 });

    expect(await consentLog(h, sent.contactId)).toEqual([
      expect.objectContaining({ action: 'suppress', source: 'complaint' }),
    ]);
    expect((await messageState(h, sent.id)).events).toContain('complained');
    await expectComplaintApplied(h, sent);
  });

  it('a deferral is a soft bounce: counted, not suppressed; its later retries and events without feedback are ignored', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const response = await postEvents([
      event('deferred', sent, { response: '452 4.2.2 The email account is over quota.', attempt: '1' }),
      event('deferred', sent, { response: '452 4.2.2 The email account is over quota.', attempt: '2' }),
      event('processed', sent),
      event('open', sent, { useragent: 'Mozilla/5.0', ip: '255.255.255.255' }),
    ]);
    expect(response.body).toEqual({ received: 4, applied: 1, duplicates: 0, ignored: 3 });

    expect((await messageState(h, sent.id)).events).toEqual(['queued', 'sent', 'soft-bounce']);
    expect(await suppressionReasons(h, sent.email)).toEqual([]);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('a bounce of type "blocked" (the receiver refused the sender) suppresses nobody', async () => {
    const sent = await deliver(h, 'security-sign-in');
    await postEvents([
      event('bounce', sent, {
        type: 'blocked',
        status: '5.7.1',
        reason: '550 5.7.1 Message rejected due to local policy',
      }),
    ]);
    expect(await suppressionReasons(h, sent.email)).toEqual([]);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('a redelivered batch applies once', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const batch = [
      event('bounce', sent, { type: 'bounce', status: '5.1.1', reason: '550 5.1.1 unknown user' }),
    ];
    expect((await postEvents(batch)).body).toMatchObject({ applied: 1, duplicates: 0 });
    const before = await feedbackState(h);
    // SendGrid signs each delivery attempt anew.
    expect((await postEvents(batch)).body).toEqual({ received: 1, applied: 1, duplicates: 1, ignored: 0 });
    expect(await feedbackState(h)).toEqual(before);
    expect(await consentLog(h, sent.contactId)).toHaveLength(1);
    expect(await h.db.feedbackReport.count({ where: { messageId: sent.id } })).toBe(1);
  });

  it('refuses a bad, missing or stale signature with 401 and changes nothing', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const events = [event('bounce', sent, { type: 'bounce', status: '5.1.1' })];
    const body = JSON.stringify(events);
    const before = await feedbackState(h);

    const wrongKey = await postEvents(events, { key: otherKey });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.error.code).toBe('invalid_signature');

    const missing = await postHook(h.url, '/hooks/sendgrid', body);
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/X-Twilio-Email-Event-Webhook-Signature/);

    // Signed for another body: the bytes are what is signed.
    const timestamp = now();
    const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');
    const tampered = await postHook(h.url, '/hooks/sendgrid', body.replace('5.1.1', '5.1.2'), {
      'X-Twilio-Email-Event-Webhook-Signature': signature,
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    });
    expect(tampered.status).toBe(401);

    const stale = await postEvents(events, { timestamp: String(Math.floor(Date.now() / 1000) - 3600) });
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toMatch(/5 minutes/);

    expect(await feedbackState(h)).toEqual(before);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('answers 400 to a signed body that is not an events array, and changes nothing', async () => {
    const before = await feedbackState(h);
    const notArray = await postEvents({ event: 'bounce' } as unknown as object[]);
    expect(notArray.status).toBe(400);
    expect(notArray.body.error).toMatchObject({ code: 'invalid_request' });
    expect(notArray.body.error.message).toMatch(/SendGrid Event Webhook batch/);
    const noEvent = await postEvents([{ email: uniqueEmail() }]);
    expect(noEvent.status).toBe(400);
    expect(noEvent.body.error.message).toMatch(/0\.event/);
    expect(await feedbackState(h)).toEqual(before);
  });

  it('refuses a body over 1 MiB with 413 before reading it all', async () => {
    const huge = JSON.stringify([{ event: 'processed', email: 'x'.repeat(1024 * 1024 + 10) }]);
    const response = await postEvents(JSON.parse(huge));
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it('keeps an event for an address Herald does not know, unmatched, and changes nothing else', async () => {
    const email = uniqueEmail('stranger');
    const before = await feedbackState(h);
    const unknown = event(
      'bounce',
      { id: '00000000-0000-4000-8000-000000000000', email },
      { type: 'bounce', status: '5.1.1' },
    );
    const response = await postEvents([unknown]);
    expect(response.body).toMatchObject({ applied: 1 });
    const after = await feedbackState(h);
    expect(after).toEqual({ ...before, reports: before.reports + 1 });
    const kept = await h.db.feedbackReport.findUnique({
      where: { providerEventId: `sendgrid:${unknown.sg_event_id}` },
    });
    expect(kept).toMatchObject({
      channel: 'sendgrid',
      kind: 'hard-bounce',
      matched: false,
    });
  });
});
