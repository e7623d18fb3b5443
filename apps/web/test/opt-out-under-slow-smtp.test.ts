import type { Db } from '@herald/db';
import { parseSigningKeys, signMailtoToken } from '@herald/preferences';
import {
  freePort,
  startHeraldWithWeb,
  startTestSmtpServer,
  type HeraldWithWeb,
  type JsonBody,
  type TestSmtpServer,
} from '@herald/test-support';
import { connect as connectSocket, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createContact, tokenFor } from './support/fixtures.js';
import { postForm } from './support/forms.js';

/**
 * Issue 9: an SMTP server that takes seconds per message and one pooled connection, so newsletters
 * to one person queue for a send slot while that person opts out. Whatever the path, once the opt-out
 * has answered no newsletter to them begins its SMTP transaction: everything the server received
 * arrived before the answer, and the newsletters still waiting are `suppressed` with the opt-out's
 * reason.
 */
let catcher: TestSmtpServer;
let stack: HeraldWithWeb;
let db: Db;
let inboundPort: number;

const NEWSLETTER = {
  headline: 'Slow news',
  intro: 'One of several.',
  articles: [{ title: 'A', summary: 'B', url: 'https://example.test/a' }],
};

beforeAll(async () => {
  db = connect();
  catcher = await startTestSmtpServer({ keep: 'headers' });
  stack = await startHeraldWithWeb({
    workers: 0,
    // One SMTP connection, and so one send slot, per stream: the next messages wait for the slot.
    env: { SMTP_URL: catcher.smtpUrl, SMTP_POOL_SIZE: '1', TRANSACTIONAL_SMTP_SLOTS: '1' },
  });
  // The worker runs the mailto listener: its port is chosen once the web server has taken its own.
  inboundPort = await freePort();
  Object.assign(stack.herald.env, { INBOUND_SMTP_PORT: String(inboundPort), INBOUND_SMTP_HOST: '127.0.0.1' });
  stack.herald.startWorker();
  catcher.delay('mail', 2000);
});
afterAll(async () => {
  await stack?.stop();
  await catcher?.close();
  await db?.$disconnect();
});

/**
 * Queues newsletters to a new contact, waits until the worker is talking to SMTP for the first of
 * them (the others wait for the one connection), runs `optOut`, and checks the promise against what
 * the SMTP server received and what the API reports for every message.
 */
async function optOutWhileSending(
  optOut: (contact: { id: string }, messageIds: string[]) => Promise<void>,
  reason = 'category-opt-out',
) {
  const contact = await createContact(db, 'slow');
  const email = contact.email as string;
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const response = await stack.herald.client.call('POST', '/v1/messages', {
      template: 'newsletter',
      to: { email },
      data: NEWSLETTER,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    ids.push(response.body.id as string);
  }
  for (let i = 0; i < 200; i++) {
    const started = await db.message.count({
      where: { contactId: contact.id, sendStartedAt: { not: null } },
    });
    if (started > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  await optOut(contact, ids);
  const answeredAt = Date.now();

  const outcomes: JsonBody[] = await Promise.all(ids.map((id) => stack.herald.client.settled(id, 25_000)));
  const received = catcher.messages().filter((m) => m.envelope.to.includes(email));
  expect(received.filter((m) => m.receivedAt > answeredAt)).toEqual([]);
  const sent = outcomes.filter((o) => o.status === 'sent');
  const suppressed = outcomes.filter((o) => o.status === 'suppressed');
  expect(received).toHaveLength(sent.length);
  // The race was real: one newsletter was on the wire, and some still waited when the person opted out.
  expect(sent.length).toBeGreaterThan(0);
  expect(suppressed.length).toBeGreaterThan(0);
  expect(suppressed.map((o) => o.reason)).toEqual(suppressed.map(() => reason));
  expect(sent.length + suppressed.length).toBe(ids.length);
}

describe('opting out while newsletters wait for a slow SMTP server', () => {
  it('one-click (POST /u/:token)', async () => {
    await optOutWhileSending(async (contact) => {
      const response = await fetch(`${stack.web.url}/u/${tokenFor(stack.web, contact.id)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status).toBe(200);
    });
  });

  it('the unsubscribe page (POST /unsubscribe/:token)', async () => {
    await optOutWhileSending(async (contact) => {
      const done = await postForm(`${stack.web.url}/unsubscribe/${tokenFor(stack.web, contact.id)}`, []);
      expect(done.status).toBe(200);
    });
  });

  it('the preference center (POST /preferences/:token), all marketing off', async () => {
    await optOutWhileSending(async (contact) => {
      const saved = await postForm(`${stack.web.url}/preferences/${tokenFor(stack.web, contact.id)}`, [
        ['form', 'preferences'],
        ['shown', 'newsletter'],
        ['category', 'newsletter'],
      ]);
      expect(saved.status).toBe(200);
    }, 'all-promotional-opt-out');
  });

  it('a support agent through the API (PUT /v1/contacts/:id/preferences)', async () => {
    await optOutWhileSending(async (contact) => {
      const response = await stack.herald.client.call('PUT', `/v1/contacts/${contact.id}/preferences`, {
        changes: [{ category: 'newsletter', subscribed: false }],
        reason: 'asked on the phone',
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    });
  });

  it('mail to the List-Unsubscribe mailto address', async () => {
    await optOutWhileSending(async (_contact, [first]) => {
      const keys = parseSigningKeys(stack.herald.env.HERALD_SECRET ?? '');
      const token = signMailtoToken({ messageId: first as string }, keys);
      const replies = await mailTo(
        `unsubscribe+${token}@${stack.herald.env.MAIL_DOMAIN ?? 'herald.localhost'}`,
      );
      // 250 to the end of DATA: the listener's answer, once the unsubscribe is done.
      expect(replies.at(-1)).toMatch(/^250/);
    });
  });
});

/** One SMTP session to the inbound listener, as a mail provider sends it, up to the reply to DATA's end. */
async function mailTo(to: string): Promise<string[]> {
  const socket: Socket = connectSocket(inboundPort, '127.0.0.1');
  const replies: string[] = [];
  let buffer = '';
  let waiting: (() => void) | null = null;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // A reply is complete at a line whose code is followed by a space (not "250-" continuations).
    const match = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffer);
    if (match) {
      replies.push(buffer.trim().split('\r\n').at(-1) ?? '');
      buffer = '';
      waiting?.();
    }
  });
  const reply = (line?: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SMTP reply to ${line ?? 'the greeting'}`)), 30_000);
      waiting = () => {
        clearTimeout(timer);
        resolve();
      };
      if (line !== undefined) socket.write(`${line}\r\n`);
    });
  try {
    await reply();
    await reply('EHLO provider.test');
    await reply('MAIL FROM:<someone@provider.test>');
    await reply(`RCPT TO:<${to}>`);
    await reply('DATA');
    await reply('Subject: unsubscribe\r\n\r\nunsubscribe\r\n.');
    return replies;
  } finally {
    socket.destroy();
  }
}
