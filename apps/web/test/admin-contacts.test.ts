import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAdmin } from '../../../prisma/seed-admin.js';
import { signInToConsole } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { csrfOf, signedInCookie, type Account } from './support/console-sign-in.js';
import { getPage, postForm, textOf } from './support/forms.js';
import { cookiePair, storeSignInToken } from './support/sign-in.js';

/**
 * Issue 13's support console for contacts, against the built API, worker and web app: a support
 * agent finds a contact, unsubscribes them from the newsletter with a reason (the next newsletter is
 * suppressed while security mail still goes; the consent log shows
 * source admin, the agent and the reason), lifts a suppression with a reason, exports and erases the
 * contact. A form posted without its reason, or an erasure confirmed with the wrong address, changes
 * nothing; a marketer gets 403 from the page and its action. The person downloads their own export
 * from the account page.
 */
const run = randomBytes(3).toString('hex');
const EMAIL = `reader-${run}@example.test`;
const WHY = 'Asked by phone to stop the newsletter.';
let stack: ConsoleStack;
let support: Account;
let marketer: Account;
let supportCookie = '';
let contactId = '';

async function account(role: 'support' | 'marketer'): Promise<Account> {
  const created = { email: `${role}-${run}@example.test`, password: randomBytes(12).toString('base64url') };
  await seedAdmin(stack.db, created);
  await stack.db.adminUser.update({ where: { email: created.email }, data: { role } });
  return created;
}

async function api(method: string, path: string, body?: unknown) {
  const response = await stack.api.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

/** The fields of the preference form as the agent ticks them: everything as now, the newsletter unticked. */
async function preferenceFields(csrf: string, reason: string | null): Promise<[string, string][]> {
  const preferences = await api('GET', `/v1/contacts/${contactId}/preferences`);
  const fields: [string, string][] = [
    ['csrf', csrf],
    ['intent', 'preferences'],
  ];
  if (preferences.allPromotional.subscribed) fields.push(['allPromotional', 'on']);
  for (const category of preferences.categories as { key: string; subscribed: boolean; locked: boolean }[]) {
    if (category.subscribed && !category.locked && category.key !== 'newsletter') {
      fields.push(['subscribed', category.key]);
    }
  }
  if (reason !== null) fields.push(['reason', reason]);
  return fields;
}

beforeAll(async () => {
  stack = await startConsoleStack();
  [support, marketer] = [await account('support'), await account('marketer')];
  supportCookie = await signedInCookie(stack.web.url, support);
  ({ id: contactId } = await api('POST', '/v1/contacts', {
    email: EMAIL,
    name: `Reader ${run}`,
    externalId: `crm-${run}`,
    locale: 'fr',
  }));
}, 120_000);
afterAll(async () => stack?.stop());

describe('the contact console (HTTP, no JavaScript)', () => {
  it('finds a contact by the start of its address, its external id or its name', async () => {
    for (const q of [`reader-${run}`, `crm-${run}`, `READER ${run}`]) {
      const page = await getPage(`${stack.web.url}/admin/contacts?q=${encodeURIComponent(q)}`, {
        cookie: supportCookie,
      });
      expect(page.status, q).toBe(200);
      expect(page.html, q).toContain(`href="/admin/contacts/${contactId}"`);
      expect(textOf(page.html), q).toContain(EMAIL);
    }
    const none = await getPage(`${stack.web.url}/admin/contacts?q=nobody-${run}`, { cookie: supportCookie });
    expect(textOf(none.html)).toContain('No contact matches.');
  });

  it('shows the contact: identity, locale, preferences, consent history, messages, suppression', async () => {
    const page = await getPage(`${stack.web.url}/admin/contacts/${contactId}`, { cookie: supportCookie });
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(EMAIL);
    expect(text).toContain(`Reader ${run}`);
    expect(text).toContain(`crm-${run}`);
    expect(text).toContain('Locale fr');
    expect(text).toContain('The address is not suppressed.');
    expect(page.html).toContain(`href="/admin/contacts/${contactId}/export"`);
    expect(page.html).toMatch(/<textarea[^>]*name="reason"[^>]*required/);
  });

  it('a preference change without a reason re-renders the form with an error and changes nothing', async () => {
    const page = await getPage(`${stack.web.url}/admin/contacts/${contactId}`, { cookie: supportCookie });
    const refused = await postForm(
      `${stack.web.url}/admin/contacts/${contactId}`,
      await preferenceFields(csrfOf(page.html), null),
      { cookie: supportCookie },
    );
    expect(refused.status).toBe(422);
    expect(textOf(refused.html)).toContain('Must say why the change was made');
    expect(await stack.db.consentLogEntry.count({ where: { contactId } })).toBe(0);
    expect(await stack.db.preference.count({ where: { contactId } })).toBe(0);
  });

  it('a support agent unsubscribes the contact from the newsletter with a reason, logged as theirs', async () => {
    const page = await getPage(`${stack.web.url}/admin/contacts/${contactId}`, { cookie: supportCookie });
    const saved = await postForm(
      `${stack.web.url}/admin/contacts/${contactId}`,
      await preferenceFields(csrfOf(page.html), WHY),
      { cookie: supportCookie },
    );
    expect(saved.status, textOf(saved.html)).toBe(303);
    expect(saved.headers.get('location')).toBe(`/admin/contacts/${contactId}?done=preferences`);

    const entries = await stack.db.consentLogEntry.findMany({ where: { contactId } });
    expect(entries).toEqual([
      expect.objectContaining({
        categoryKey: 'newsletter',
        action: 'unsubscribe',
        source: 'admin',
        actor: `admin:${support.email}`,
        reason: WHY,
      }),
    ]);
    const audit = await stack.db.auditLogEntry.findMany({
      where: { action: 'preferences.changed', targetId: contactId },
    });
    expect(audit).toEqual([expect.objectContaining({ actor: `admin:${support.email}` })]);

    const after = await getPage(`${stack.web.url}/admin/contacts/${contactId}?done=preferences`, {
      cookie: supportCookie,
    });
    const text = textOf(after.html);
    expect(text).toContain('The preferences were saved');
    expect(text).toContain(`unsubscribe newsletter admin — admin:${support.email} ${WHY}`);

    // The next newsletter is suppressed; security mail still goes.
    const newsletter = await api('POST', '/v1/messages', {
      template: 'newsletter',
      to: { contactId },
      data: {
        headline: 'After the call',
        intro: 'Nothing for you.',
        articles: [{ title: 'One', summary: 'Two.', url: 'https://example.test/n' }],
      },
    });
    const security = await api('POST', '/v1/messages', {
      template: 'security-sign-in',
      to: { contactId },
      data: { signInUrl: 'https://app.example.test/sign-in/xyz', expiresInMinutes: 15 },
    });
    const finalStatus = async (id: string) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { status } = await api('GET', `/v1/messages/${id}`);
        if (!['queued', 'sending'].includes(status) || Date.now() > deadline) return status as string;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    expect([await finalStatus(newsletter.id), await finalStatus(security.id)]).toEqual([
      'suppressed',
      'sent',
    ]);
    expect(stack.catcher.messages().filter((mail) => mail.heraldMessageId === newsletter.id)).toHaveLength(0);
  });

  it('lifts a suppression only with a reason', async () => {
    await api('POST', '/v1/suppressions', { email: EMAIL, reason: 'manual', detail: 'asked for quiet' });
    const page = await getPage(`${stack.web.url}/admin/contacts/${contactId}`, { cookie: supportCookie });
    expect(textOf(page.html)).toContain('manual: no mail at all');
    const csrf = csrfOf(page.html);
    const url = `${stack.web.url}/admin/contacts/${contactId}`;

    const refused = await postForm(
      url,
      [
        ['csrf', csrf],
        ['intent', 'unsuppress'],
        ['why', ''],
      ],
      {
        cookie: supportCookie,
      },
    );
    expect(refused.status).toBe(422);
    expect(await stack.db.suppression.count({ where: { contactId } })).toBe(1);

    const lifted = await postForm(
      url,
      [
        ['csrf', csrf],
        ['intent', 'unsuppress'],
        ['why', 'Mailbox works again.'],
      ],
      {
        cookie: supportCookie,
      },
    );
    expect(lifted.status, textOf(lifted.html)).toBe(303);
    expect(await stack.db.suppression.count({ where: { contactId } })).toBe(0);
    expect(
      await stack.db.consentLogEntry.findFirst({ where: { contactId, action: 'unsuppress' } }),
    ).toMatchObject({ reason: expect.stringContaining('Mailbox works again.') });
  });

  it('a marketer gets 403 from the page and its action, and changes nothing', async () => {
    const cookie = await signedInCookie(stack.web.url, marketer);
    expect((await getPage(`${stack.web.url}/admin/contacts/${contactId}`, { cookie })).status).toBe(403);
    expect((await getPage(`${stack.web.url}/admin/contacts?q=reader`, { cookie })).status).toBe(403);
    expect((await getPage(`${stack.web.url}/admin/contacts/${contactId}/export`, { cookie })).status).toBe(
      403,
    );
    const console = await getPage(`${stack.web.url}/admin/account`, { cookie });
    const before = await stack.db.consentLogEntry.count({ where: { contactId } });
    const posted = await postForm(
      `${stack.web.url}/admin/contacts/${contactId}`,
      [
        ['csrf', csrfOf(console.html)],
        ['intent', 'preferences'],
        ['allPromotional', 'on'],
        ['subscribed', 'newsletter'],
        ['reason', 'Trying my luck.'],
      ],
      { cookie },
    );
    expect(posted.status).toBe(403);
    expect(await stack.db.consentLogEntry.count({ where: { contactId } })).toBe(before);
  });

  it('downloads every contact and the consent log of a date range as CSV; a marketer may not', async () => {
    const contacts = await fetch(`${stack.web.url}/admin/exports/contacts`, {
      headers: { cookie: supportCookie },
    });
    expect(contacts.status).toBe(200);
    expect(contacts.headers.get('content-disposition')).toBe('attachment; filename="herald-contacts.csv"');
    const contactLines = (await contacts.text()).trimEnd().split('\r\n');
    expect(contactLines[0]).toMatch(
      /^id,email,name,externalId,locale,timezone,createdAt,allPromotional,category:/,
    );
    expect(contactLines.find((line) => line.startsWith(`${contactId},`))).toContain(`,${EMAIL},`);

    const today = new Date().toISOString().slice(0, 10);
    const log = await fetch(`${stack.web.url}/admin/exports/consent-log?from=${today}&to=${today}`, {
      headers: { cookie: supportCookie },
    });
    expect(log.status).toBe(200);
    const logText = await log.text();
    expect(logText).toContain(`,${contactId},newsletter,unsubscribe,admin,admin:${support.email},`);
    const backwards = await getPage(
      `${stack.web.url}/admin/exports/consent-log?from=${today}&to=2020-01-01`,
      {
        cookie: supportCookie,
      },
    );
    expect(backwards.status).toBe(400);
    expect(textOf(backwards.html)).toContain('must be before');

    const marketerCookie = await signedInCookie(stack.web.url, marketer);
    expect(
      (await getPage(`${stack.web.url}/admin/exports/contacts`, { cookie: marketerCookie })).status,
    ).toBe(403);
    const audit = await stack.db.auditLogEntry.findMany({
      where: {
        actor: `admin:${support.email}`,
        action: { in: ['contacts.exported', 'consent-log.exported'] },
      },
    });
    expect(audit.map((row) => row.action).sort()).toEqual(['consent-log.exported', 'contacts.exported']);
  });

  it('the agent exports the contact as a JSON download, written to the audit log', async () => {
    const response = await fetch(`${stack.web.url}/admin/contacts/${contactId}/export`, {
      headers: { cookie: supportCookie },
      redirect: 'manual',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const body = await response.json();
    expect(body.contact).toMatchObject({ id: contactId, email: EMAIL, locale: 'fr' });
    expect(body.consentLog.map((entry: { reason: string | null }) => entry.reason)).toContain(WHY);
    expect(
      await stack.db.auditLogEntry.count({
        where: { action: 'contact.exported', targetId: contactId, actor: `admin:${support.email}` },
      }),
    ).toBe(1);
  });

  it('the person downloads their own export from the account page', async () => {
    const token = await storeSignInToken(stack.db, contactId);
    const signedIn = await postForm(`${stack.web.url}/account/sign-in/${token}`, []);
    const cookie = cookiePair(signedIn.headers.get('set-cookie'));
    const accountPage = await getPage(`${stack.web.url}/account`, { cookie });
    expect(accountPage.html).toContain('href="/account/export"');

    const response = await fetch(`${stack.web.url}/account/export`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const body = await response.json();
    expect(body.contact).toMatchObject({ id: contactId, email: EMAIL });
    expect(body.consentLog.length).toBe(await stack.db.consentLogEntry.count({ where: { contactId } }));
    expect(body.signInLinks.length).toBeGreaterThan(0);
    expect(
      await stack.db.auditLogEntry.count({
        where: { action: 'contact.exported', actor: `contact:${contactId}` },
      }),
    ).toBe(1);

    const anonymous = await fetch(`${stack.web.url}/account/export`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
  });

  it('erases the contact only when its address is typed; its page and export are then gone', async () => {
    const url = `${stack.web.url}/admin/contacts/${contactId}`;
    const page = await getPage(url, { cookie: supportCookie });
    const csrf = csrfOf(page.html);
    const wrong = await postForm(
      url,
      [
        ['csrf', csrf],
        ['intent', 'erase'],
        ['confirm', 'someone@example.test'],
      ],
      {
        cookie: supportCookie,
      },
    );
    expect(wrong.status).toBe(422);
    expect(textOf(wrong.html)).toContain(`Type the contact’s address, ${EMAIL}`);
    expect((await stack.db.contact.findUniqueOrThrow({ where: { id: contactId } })).erasedAt).toBeNull();

    const erased = await postForm(
      url,
      [
        ['csrf', csrf],
        ['intent', 'erase'],
        ['confirm', EMAIL.toUpperCase()],
      ],
      {
        cookie: supportCookie,
      },
    );
    expect(erased.status, textOf(erased.html)).toBe(303);
    expect((await stack.db.contact.findUniqueOrThrow({ where: { id: contactId } })).erasedAt).not.toBeNull();
    expect(
      await stack.db.auditLogEntry.count({ where: { action: 'contact.erased', targetId: contactId } }),
    ).toBe(1);
    expect((await getPage(url, { cookie: supportCookie })).status).toBe(404);
    expect((await getPage(`${url}/export`, { cookie: supportCookie })).status).toBe(404);
  });
});

describe('the contact console in Chromium without JavaScript', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('a support agent searches, opens a contact and saves a change with a reason; the pages pass axe', async () => {
    const email = `browser-${run}@example.test`;
    const { id } = await api('POST', '/v1/contacts', { email, name: 'Browser Reader' });
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInToConsole(page, stack.web.url, support, '/admin/contacts');
    await page.getByLabel('Address, external id or name').fill(`browser-${run}`);
    await submit(page, 'Search');
    await inspectPage(page, 'contacts search');
    await page.getByRole('link', { name: email }).click();
    expect(new URL(page.url()).pathname).toBe(`/admin/contacts/${id}`);
    await inspectPage(page, 'contact page');
    await page.getByLabel('Why (required)').fill('Asked by mail.');
    await page.getByLabel('Newsletter').uncheck();
    await submit(page, 'Save the preferences');
    expect(await page.getByRole('status').textContent()).toContain('The preferences were saved');
    expect(await stack.db.consentLogEntry.findFirst({ where: { contactId: id } })).toMatchObject({
      source: 'admin',
      actor: `admin:${support.email}`,
      reason: 'Asked by mail.',
    });
    await context.close();
  }, 60_000);
});
