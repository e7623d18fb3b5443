import type { Db } from '@herald/db';
import {
  startHeraldWithWeb,
  startTestSmtpServer,
  type HeraldWithWeb,
  type TestSmtpServer,
} from '@herald/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createContact } from './support/fixtures.js';
import { getPage, postForm, textOf } from './support/forms.js';
import { cookiePair } from './support/sign-in.js';

/**
 * Issue 11, finding 8: a magic link is a credential, and only its hash is to be kept. Through the
 * built web app, API, worker and a real SMTP server: the link requested on /account is in no column
 * of messages or message_events, neither while the message waits nor once it is sent, the API never
 * shows it, and the mail that arrives carries a link that signs in.
 */
let catcher: TestSmtpServer;
let stack: HeraldWithWeb;
let db: Db;

beforeAll(async () => {
  db = connect();
  catcher = await startTestSmtpServer({ keep: 'all' });
  // No worker at first: the message waits, stored, for the first look.
  stack = await startHeraldWithWeb({ workers: 0, env: { SMTP_URL: catcher.smtpUrl } });
});
afterAll(async () => {
  await stack?.stop();
  await catcher?.close();
  await db?.$disconnect();
});

/** The message's row and its events, every column as text. */
async function storedMessage(
  contactId: string,
): Promise<{ id: string; status: string; data: unknown; text: string }> {
  const rows = await db.$queryRaw<{ id: string; status: string; data: unknown; text: string }[]>`
    SELECT m.id::text, m.status::text, m.data,
           to_jsonb(m)::text || coalesce((SELECT string_agg(to_jsonb(e)::text, ' ')
                                            FROM message_events e WHERE e.message_id = m.id), '') AS text
      FROM messages m WHERE m.contact_id = ${contactId}::uuid`;
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not ready: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a sign-in link', () => {
  it('is stored sealed, dropped once sent, never shown by the API, and arrives working', async () => {
    const contact = await createContact(db, 'sealed');
    const linkPrefix = `${stack.web.url}/account/sign-in/`;
    const requested = await postForm(`${stack.web.url}/account`, [
      ['intent', 'request-link'],
      ['email', contact.email ?? ''],
    ]);
    expect(requested.status).toBe(200);

    // Waiting for a worker: the row holds the link only sealed.
    const queued = await until(
      () => storedMessage(contact.id),
      (row) => row.status === 'queued',
    );
    expect(queued.text).not.toContain('/account/sign-in/');
    expect(queued.data).toEqual({ expiresInMinutes: 15, '@sealed': expect.stringMatching(/^v1\./) });
    const viewed = await stack.herald.client.call('GET', `/v1/messages/${queued.id}`);
    expect(viewed.status).toBe(200);
    expect(JSON.stringify(viewed.body)).not.toContain('sign-in/');

    // Sent: the sealed value is gone too.
    stack.herald.startWorker();
    const sent = await until(
      () => storedMessage(contact.id),
      (row) => row.status === 'sent',
    );
    expect(sent.text).not.toContain('/account/sign-in/');
    expect(sent.data).toEqual({ expiresInMinutes: 15 });
    const viewedSent = await stack.herald.client.call('GET', `/v1/messages/${queued.id}`);
    expect(JSON.stringify(viewedSent.body)).not.toContain('sign-in/');

    // The mail carries the link, and it signs in.
    const mail = await until(
      async () => catcher.messages().find((message) => message.heraldMessageId === queued.id),
      Boolean,
    );
    const parsed = await mail!.parse();
    const link = `${parsed.text ?? ''}`.match(
      new RegExp(`${linkPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\w-]+`),
    )?.[0];
    expect(link, parsed.text).toBeDefined();
    expect(parsed.html).toContain(link);
    const signedIn = await postForm(link!, []);
    expect(signedIn.status).toBe(303);
    const account = await getPage(`${stack.web.url}/account`, {
      cookie: cookiePair(signedIn.headers.get('set-cookie')),
    });
    // Signed in: the account page offers to sign out, which it shows only to its holder.
    expect(textOf(account.html)).toContain('Sign out');
  });
});
