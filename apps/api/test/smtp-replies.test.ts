import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAddress } from '@herald/preferences';
import {
  classifySmtpReply,
  type SmtpReply,
  type SmtpReplyKind,
} from '../src/delivery/classify-smtp-reply.js';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

const NOTICE = { title: 'Your export is ready', body: 'Download it within 7 days.' };
const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };

describe('classifySmtpReply', () => {
  const table: [SmtpReply, SmtpReplyKind][] = [
    [{ code: 550, enhanced: '5.1.1', stage: 'rcpt' }, 'hard-bounce'],
    [{ code: 553, enhanced: '5.1.3', stage: 'rcpt' }, 'hard-bounce'],
    [{ code: 550, enhanced: '5.1.10', stage: 'rcpt' }, 'hard-bounce'],
    [{ code: 550, enhanced: '5.1.1' }, 'hard-bounce'],
    [{ code: 501, enhanced: '5.5.4', stage: 'rcpt' }, 'hard-bounce'],
    [{ code: 550, stage: 'rcpt' }, 'hard-bounce'],
    [{ code: 551, stage: 'rcpt' }, 'hard-bounce'],
    [{ code: 553, stage: 'rcpt' }, 'hard-bounce'],
    [{ code: 451, enhanced: '4.7.1', stage: 'rcpt' }, 'temporary'],
    [{ code: 421, stage: 'connection' }, 'temporary'],
    [{ code: 450, stage: 'rcpt' }, 'temporary'],
    [{ code: 552, enhanced: '5.2.2', stage: 'rcpt' }, 'temporary'],
    [{ code: 554, enhanced: '5.4.4', stage: 'data' }, 'temporary'],
    [{ code: 552, enhanced: '5.3.4', stage: 'data' }, 'temporary'],
    [{}, 'temporary'],
    [{ stage: 'data' }, 'temporary'],
    [{ code: 554, enhanced: '5.7.1', stage: 'rcpt' }, 'blocked'],
    [{ code: 550, enhanced: '5.7.1', stage: 'data' }, 'blocked'],
    [{ code: 550, enhanced: '5.7.26' }, 'blocked'],
    [{ code: 530, stage: 'mail-from' }, 'blocked'],
    [{ code: 535, enhanced: '5.7.8', stage: 'auth' }, 'blocked'],
    [{ code: 535, stage: 'auth' }, 'blocked'],
    [{ code: 554, stage: 'connection' }, 'blocked'],
    [{ code: 550, stage: 'mail-from' }, 'blocked'],
    [{ code: 553, enhanced: '5.1.8', stage: 'mail-from' }, 'blocked'],
    [{ code: 552, stage: 'data' }, 'permanent'],
    [{ code: 554, stage: 'data' }, 'permanent'],
    [{ code: 554, enhanced: '5.6.0', stage: 'data' }, 'permanent'],
    [{ code: 552, stage: 'mail-from' }, 'permanent'],
    [{ code: 554, stage: 'rcpt' }, 'permanent'],
    [{ code: 550, enhanced: '5.0.0', stage: 'rcpt' }, 'permanent'],
    [{ code: 550, stage: 'data' }, 'permanent'],
  ];
  it.each(table)('%j is %s', (reply, kind) => {
    expect(classifySmtpReply(reply)).toBe(kind);
  });
});

// Replies a test sets for an address and lifts again, e.g. a relay fixed after a misconfiguration.
const refusals = new Map<string, { code: number; message: string }>();
// Replies given to the first tries of an address only, like a full mailbox that is emptied.
const firstTries = new Map<string, { code: number; message: string; times: number }>();
const tries = new Map<string, number>();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: { DELIVERY_ATTEMPTS: '5', DELIVERY_BACKOFF_MS: '50' },
    smtp: {
      rcptHandler: (address) => {
        const seen = tries.get(address) ?? 0;
        tries.set(address, seen + 1);
        const first = firstTries.get(address);
        if (first && seen < first.times) return { code: first.code, message: first.message };
        return refusals.get(address) ?? null;
      },
    },
  });
});
afterAll(async () => h?.close());

async function send(template: string, email: string, data: object): Promise<string> {
  const response = await h.request('POST', '/v1/messages', { template, to: { email }, data });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.id as string;
}

async function suppressionOf(email: string) {
  return h.db.suppression.findFirst({ where: { addressHash: hashAddress(email) } });
}

describe('SMTP replies during a send', () => {
  it('fails a message the relay refuses by policy as blocked, and keeps sending required mail to the address', async () => {
    const email = uniqueEmail('relay');
    refusals.set(email, { code: 554, message: '5.7.1 Relay access denied' });
    const id = await send('service-notice', email, NOTICE);
    const message = await waitForStatus(h, id);
    expect(message.status).toBe('failed');
    expect(message.reason).toBe('blocked: 554 5.7.1 Relay access denied');
    expect(message.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'failed']);
    expect(tries.get(email)).toBe(1);
    expect(await suppressionOf(email)).toBeNull();
    const log = await h.request('GET', `/v1/contacts/${message.contactId}/consent-log`);
    expect(log.body.entries).toEqual([]);

    // The relay is fixed: the address was never suppressed, so the next sign-in mail goes out.
    refusals.delete(email);
    const signIn = await send('security-sign-in', email, SIGN_IN);
    expect(await waitForStatus(h, signIn)).toMatchObject({ status: 'sent' });
    expect(h.catcher.received.get(signIn)).toBe(1);
  });

  it('bounces a 550 5.1.1 unknown mailbox and suppresses the address', async () => {
    const email = uniqueEmail('unknown');
    h.catcher.answer(email, 550, '5.1.1 No such user');
    const id = await send('service-notice', email, NOTICE);
    const message = await waitForStatus(h, id);
    expect(message).toMatchObject({ status: 'bounced', reason: '550 5.1.1 No such user' });
    expect((await suppressionOf(email))?.reason).toBe('hard_bounce');
    const later = await send('security-sign-in', email, SIGN_IN);
    expect(await waitForStatus(h, later)).toMatchObject({ status: 'suppressed', reason: 'hard-bounce' });
  });

  it('bounces a bare 550 to RCPT TO, without an enhanced code', async () => {
    const email = uniqueEmail('bare');
    h.catcher.answer(email, 550, 'Mailbox unavailable');
    const id = await send('service-notice', email, NOTICE);
    expect(await waitForStatus(h, id)).toMatchObject({
      status: 'bounced',
      reason: '550 Mailbox unavailable',
    });
    expect((await suppressionOf(email))?.reason).toBe('hard_bounce');
  });

  it('retries a full mailbox (552 5.2.2) as a soft bounce and sends once it is accepted', async () => {
    const email = uniqueEmail('full');
    firstTries.set(email, { code: 552, message: '5.2.2 Mailbox full', times: 2 });
    const id = await send('service-notice', email, NOTICE);
    const message = await waitForStatus(h, id);
    expect(message.status).toBe('sent');
    expect(message.events.map((e: { type: string }) => e.type)).toEqual([
      'queued',
      'deferred',
      'deferred',
      'sent',
    ]);
    expect(h.catcher.received.get(id)).toBe(1);
    expect(await suppressionOf(email)).toBeNull();
  });

  it('retries a 421 and sends once the server accepts', async () => {
    // The pooled transport itself sends again on a new connection after a 421 closes the old one.
    const email = uniqueEmail('busy');
    firstTries.set(email, { code: 421, message: '4.3.2 Service shutting down, try later', times: 1 });
    const id = await send('service-notice', email, NOTICE);
    expect(await waitForStatus(h, id)).toMatchObject({ status: 'sent' });
    expect(tries.get(email)).toBe(2);
    expect(h.catcher.received.get(id)).toBe(1);
    expect(await suppressionOf(email)).toBeNull();
  });
});
