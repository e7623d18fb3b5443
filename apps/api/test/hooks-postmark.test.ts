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

const CREDENTIALS = 'herald-hooks:6c2f0d1e9a7b4b1f';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { HERALD_POSTMARK_WEBHOOK_AUTH: CREDENTIALS } });
});
afterAll(async () => h?.close());

let nextId = 4_000_000_000 + Math.floor(Math.random() * 1_000_000);

/** POSTs one record as Postmark does, with the basic-auth credentials of the webhook URL. */
const postRecord = (record: object, authorization: string | null = basic(CREDENTIALS)) =>
  postHook(h.url, '/hooks/postmark', JSON.stringify(record), authorization ? { authorization } : {});

/** A bounce record as Postmark's Bounce webhook documents it (Postmark's MessageID is its own). */
function bounce(sent: Delivered, fields: object = {}) {
  return {
    RecordType: 'Bounce',
    MessageStream: 'outbound',
    ID: nextId++,
    Type: 'HardBounce',
    TypeCode: 1,
    Name: 'Hard bounce',
    Tag: 'Test',
    MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
    Metadata: { a_key: 'a_value' },
    ServerID: 23,
    Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
    Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
    Email: sent.email,
    From: 'notifications@mail.example.test',
    BouncedAt: new Date().toISOString(),
    DumpAvailable: true,
    Inactive: true,
    CanActivate: true,
    Subject: 'Sign-in link',
    ...fields,
  };
}

describe('POST /hooks/postmark (basic auth)', () => {
  it('a HardBounce suppresses the address, and bounces the message the bounce content names', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const content = `Return-Path: <bounce@mail.example.test>\r\nX-Herald-Message-Id: ${sent.id}\r\nSubject: Sign-in link\r\n\r\n…`;
    const response = await postRecord(bounce(sent, { Content: content }));
    await expectHardBounceApplied(h, sent, response);
  });

  it('a HardBounce without content suppresses the address by the address alone', async () => {
    const sent = await deliver(h, 'security-sign-in');
    await postRecord(bounce(sent));
    expect((await messageState(h, sent.id)).status).toBe('sent');
    expect(await suppressionReasons(h, sent.email)).toEqual(['hard_bounce']);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({
      status: 'suppressed',
      reason: 'hard-bounce',
    });
  });

  it('a SpamComplaint suppresses the next newsletter while security mail still goes', async () => {
    const sent = await deliver(h, 'newsletter');
    const response = await postRecord({
      RecordType: 'SpamComplaint',
      MessageStream: 'broadcast',
      ID: nextId++,
      Type: 'SpamComplaint',
      TypeCode: 100001,
      Name: 'Spam complaint',
      Tag: 'Newsletter',
      MessageID: '00000000-0000-0000-0000-000000000000',
      Metadata: {},
      ServerID: 1234,
      Description: 'The subscriber explicitly marked this message as spam.',
      Details: 'Test spam complaint details',
      Email: sent.email,
      From: 'news@mail.example.test',
      BouncedAt: new Date().toISOString(),
      DumpAvailable: true,
      Inactive: true,
      CanActivate: false,
      Subject: 'Autumn news',
      Content: `X-Herald-Message-Id: ${sent.id}\r\n`,
    });
    expect(response.body).toMatchObject({ applied: 1 });
    expect((await messageState(h, sent.id)).events).toContain('complained');
    await expectComplaintApplied(h, sent);
  });

  it('a SoftBounce and a Delivery do not suppress; an Open carries no feedback', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const soft = await postRecord(
      bounce(sent, {
        Type: 'SoftBounce',
        TypeCode: 4096,
        Name: 'Soft bounce',
        Details: 'smtp;452 4.2.2 Mailbox full',
        Content: `X-Herald-Message-Id: ${sent.id}\r\n`,
      }),
    );
    expect(soft.body).toMatchObject({ applied: 1 });
    const delivery = await postRecord({
      RecordType: 'Delivery',
      ServerID: 23,
      MessageStream: 'outbound',
      MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
      Recipient: sent.email,
      Tag: 'welcome-email',
      DeliveredAt: new Date().toISOString(),
      Details: 'Test delivery webhook details',
      Metadata: { 'herald-message-id': sent.id },
    });
    expect(delivery.body).toMatchObject({ applied: 1 });
    const open = await postRecord({
      RecordType: 'Open',
      MessageID: 'x',
      Recipient: sent.email,
      FirstOpen: true,
    });
    expect(open.body).toEqual({ received: 1, applied: 0, duplicates: 0, ignored: 1 });
    expect((await messageState(h, sent.id)).events).toEqual(['queued', 'sent', 'soft-bounce', 'delivered']);
    expect(await suppressionReasons(h, sent.email)).toEqual([]);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('a redelivered record (same bounce ID) applies once', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const record = bounce(sent);
    await postRecord(record);
    const before = await feedbackState(h);
    expect((await postRecord(record)).body).toEqual({ received: 1, applied: 1, duplicates: 1, ignored: 0 });
    expect(await feedbackState(h)).toEqual(before);
    expect(await consentLog(h, sent.contactId)).toHaveLength(1);
  });

  it('refuses missing or wrong credentials with 401 and a Basic challenge, and changes nothing', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const before = await feedbackState(h);
    for (const authorization of [
      null,
      basic('herald-hooks:wrong'),
      basic('someone:6c2f0d1e9a7b4b1f'),
      'Bearer 6c2f0d1e9a7b4b1f',
    ]) {
      const response = await postRecord(bounce(sent), authorization);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('invalid_signature');
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
    expect(await feedbackState(h)).toEqual(before);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('answers 400 to an authenticated body that is not a Postmark record, and changes nothing', async () => {
    const before = await feedbackState(h);
    const noType = await postRecord({ Email: 'a@example.test' });
    expect(noType.status).toBe(400);
    expect(noType.body.error.message).toMatch(/RecordType/);
    const notJson = await postHook(h.url, '/hooks/postmark', '{"RecordType":', {
      authorization: basic(CREDENTIALS),
    });
    expect(notJson.status).toBe(400);
    expect(await feedbackState(h)).toEqual(before);
  });
});
