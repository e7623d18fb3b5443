import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentLog,
  type Delivered,
  deliver,
  feedbackState,
  messageState,
  nextMessage,
  postHook,
  suppressionReasons,
  expectHardBounceApplied,
  expectComplaintApplied,
} from './support/feedback-scenarios.js';
import { startHarness, type Harness } from './support/harness.js';

const SIGNING_KEY = `key-${randomBytes(16).toString('hex')}`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { HERALD_MAILGUN_SIGNING_KEY: SIGNING_KEY } });
});
afterAll(async () => h?.close());

/** The `signature` object Mailgun puts in the body: hex HMAC-SHA256 of timestamp + token. */
function signature(options: { key?: string; timestamp?: number } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const token = randomBytes(25).toString('hex');
  return {
    token,
    timestamp,
    signature: createHmac('sha256', options.key ?? SIGNING_KEY)
      .update(timestamp + token)
      .digest('hex'),
  };
}

/** `event-data` as Mailgun's "Webhook Payloads" shows it, for a message Herald sent. */
function eventData(sent: Delivered, fields: object) {
  return {
    id: randomBytes(16).toString('base64url'),
    timestamp: Date.now() / 1000,
    'log-level': 'error',
    recipient: sent.email,
    'recipient-domain': sent.email.split('@')[1],
    tags: [],
    campaigns: [],
    'user-variables': {},
    flags: { 'is-routed': false, 'is-authenticated': true, 'is-system-test': false, 'is-test-mode': false },
    envelope: { sender: 'bounce@mail.example.test', transport: 'smtp', targets: sent.email },
    message: {
      headers: {
        to: sent.email,
        'message-id': `${sent.id}@mail.example.test`,
        from: 'Herald <notifications@mail.example.test>',
        subject: 'Sign-in link',
      },
      attachments: [],
      size: 1024,
    },
    ...fields,
  };
}

const permanentFailure = (sent: Delivered) =>
  eventData(sent, {
    event: 'failed',
    severity: 'permanent',
    reason: 'bounce',
    'delivery-status': {
      'attempt-no': 1,
      code: 550,
      'enhanced-code': '5.1.1',
      message:
        "5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address",
      description: '',
      'session-seconds': 0.4331989288330078,
      'mx-host': 'mx.example.test',
    },
  });

const post = (body: object) => postHook(h.url, '/hooks/mailgun', JSON.stringify(body));

describe('POST /hooks/mailgun (HMAC signature)', () => {
  it('a signed permanent failure bounces the message and suppresses the address', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const response = await post({ signature: signature(), 'event-data': permanentFailure(sent) });
    await expectHardBounceApplied(h, sent, response);
  });

  it('a complaint suppresses the next newsletter while security mail still goes', async () => {
    const sent = await deliver(h, 'newsletter');
    const response = await post({
      signature: signature(),
      'event-data': eventData(sent, { event: 'complained' }),
    });
    expect(response.body).toMatchObject({ applied: 1 });
    await expectComplaintApplied(h, sent);
  });

  it('a temporary failure is a soft bounce on its first attempt only; a delivery is recorded; neither suppresses', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const temporary = (attempt: number) =>
      eventData(sent, {
        event: 'failed',
        severity: 'temporary',
        reason: 'generic',
        'delivery-status': {
          'attempt-no': attempt,
          code: 452,
          message: '4.2.2 The email account is over quota',
        },
      });
    expect((await post({ signature: signature(), 'event-data': temporary(1) })).body).toMatchObject({
      applied: 1,
    });
    expect((await post({ signature: signature(), 'event-data': temporary(2) })).body).toMatchObject({
      applied: 0,
      ignored: 1,
    });
    const delivered = eventData(sent, {
      event: 'delivered',
      'log-level': 'info',
      'delivery-status': { code: 250, message: 'OK', 'attempt-no': 3 },
    });
    expect((await post({ signature: signature(), 'event-data': delivered })).body).toMatchObject({
      applied: 1,
    });
    expect((await messageState(h, sent.id)).events).toEqual(['queued', 'sent', 'soft-bounce', 'delivered']);
    expect(await suppressionReasons(h, sent.email)).toEqual([]);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('a redelivered event (same id) applies once', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const event = permanentFailure(sent);
    await post({ signature: signature(), 'event-data': event });
    const before = await feedbackState(h);
    expect((await post({ signature: signature(), 'event-data': event })).body).toEqual({
      received: 1,
      applied: 1,
      duplicates: 1,
      ignored: 0,
    });
    expect(await feedbackState(h)).toEqual(before);
    expect(await consentLog(h, sent.contactId)).toHaveLength(1);
  });

  it('refuses a wrong key, a missing or forged signature and a stale timestamp with 401, and changes nothing', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const event = permanentFailure(sent);
    const before = await feedbackState(h);
    const forged = signature();
    forged.token = randomBytes(25).toString('hex');
    for (const body of [
      { signature: signature({ key: 'key-not-the-signing-key' }), 'event-data': event },
      { 'event-data': event },
      { signature: forged, 'event-data': event },
      { signature: signature({ timestamp: Math.floor(Date.now() / 1000) - 3600 }), 'event-data': event },
    ]) {
      const response = await post(body);
      expect(response.status, JSON.stringify(response.body)).toBe(401);
      expect(response.body.error.code).toBe('invalid_signature');
    }
    const notJson = await postHook(h.url, '/hooks/mailgun', 'token=abc&timestamp=1&signature=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(notJson.status).toBe(401);
    expect(await feedbackState(h)).toEqual(before);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('answers 400 to a signed body without event-data, and changes nothing', async () => {
    const before = await feedbackState(h);
    const response = await post({ signature: signature() });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/event-data/);
    expect(await feedbackState(h)).toEqual(before);
  });
});
