import type { Db } from '@herald/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createContact } from './support/fixtures.js';
import { postForm, withoutNonce } from './support/forms.js';
import {
  freePort,
  startHeraldWithWeb,
  startTestSmtpServer,
  startWebServer,
  type HeraldWithWeb,
  type TestSmtpServer,
  type WebServer,
} from '@herald/test-support';

/**
 * Issue 11, finding 2: /account mails a sign-in link (a required security message no opt-out
 * stops) at most three times per address and per client in 15 minutes, through the real API,
 * worker and SMTP server, answering every request with the same page.
 */
let catcher: TestSmtpServer;
let stack: HeraldWithWeb;
let web: WebServer;
let db: Db;

beforeAll(async () => {
  db = connect();
  catcher = await startTestSmtpServer();
  stack = await startHeraldWithWeb({ env: { SMTP_URL: catcher.smtpUrl } });
  ({ web } = stack);
});
afterAll(async () => {
  await stack?.stop();
  await catcher?.close();
  await db?.$disconnect();
});

async function requestLink(server: WebServer, email: string, client: string) {
  const page = await postForm(
    `${server.url}/account`,
    [
      ['intent', 'request-link'],
      ['email', email],
    ],
    { 'x-forwarded-for': client },
  );
  return { status: page.status, html: withoutNonce(page.html) };
}

const mailTo = (addresses: string[]) =>
  catcher.messages().filter((message) => message.envelope.to.some((to) => addresses.includes(to)));

/**
 * Waits until `expected` mails reached the SMTP server and every link stored for these contacts
 * has gone out as a mail, so that a link stored beyond the limit would be counted too.
 */
async function settledMailCount(contactIds: string[], addresses: string[], expected: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const links = await db.signInToken.count({ where: { contactId: { in: contactIds } } });
    const mails = mailTo(addresses).length;
    if ((mails >= expected && mails === links) || Date.now() > deadline) return { links, mails };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('sign-in link requests', () => {
  it('ten requests for one address, from ten clients, deliver three mails; every answer is the same', async () => {
    const contact = await createContact(db, 'limit');
    const email = contact.email ?? '';
    const unknown = await requestLink(web, `nobody-${Date.now()}@example.test`, '198.51.100.200');

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, n) => requestLink(web, email, `203.0.113.${n + 1}`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    for (const answer of answers) expect(answer.html).toBe(unknown.html);

    expect(await settledMailCount([contact.id], [email], 3)).toEqual({ links: 3, mails: 3 });
    for (const mail of mailTo([email])) {
      expect(mail.header('x-herald-category')).toBe('security');
    }
  });

  it('one client asking for ten addresses gets three links mailed, and the same page every time', async () => {
    const contacts = await Promise.all(Array.from({ length: 10 }, () => createContact(db, 'limit-client')));
    const emails = contacts.map((contact) => contact.email ?? '');
    const answers = [];
    for (const email of emails) answers.push(await requestLink(web, email, '2001:db8:77:1::5'));
    // The same client by another address of its /64.
    answers.push(await requestLink(web, `nobody-${Date.now()}@example.test`, '2001:db8:77:1::6'));
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.html}`)).size).toBe(1);

    const ids = contacts.map((contact) => contact.id);
    expect(await settledMailCount(ids, emails, 3)).toEqual({ links: 3, mails: 3 });
  });

  it('sends nothing while Redis cannot be reached, with the same page as ever', async () => {
    const noRedis = await startWebServer({
      ...Object.fromEntries(
        ['DATABASE_URL', 'HERALD_SECRET', 'HERALD_API_KEY', 'HERALD_WEB_API_KEY', 'HERALD_IP_SALT']
          .filter((name) => stack.herald.env[name] !== undefined)
          .map((name) => [name, stack.herald.env[name] ?? '']),
      ),
      HERALD_API_URL: stack.herald.apiUrl,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    try {
      const contact = await createContact(db, 'no-redis');
      const unknown = await requestLink(noRedis, `nobody-${Date.now()}@example.test`, '198.51.100.201');
      const known = await requestLink(noRedis, contact.email ?? '', '198.51.100.202');
      expect([known.status, unknown.status]).toEqual([200, 200]);
      expect(known.html).toBe(unknown.html);
      // Logged before the answer, by the path that returns without sending.
      expect(noRedis.output()).toContain('sign-in link not sent: the request limit could not be checked');
      expect(await db.signInToken.count({ where: { contactId: contact.id } })).toBe(0);
    } finally {
      await noRedis.stop();
    }
  });
});
