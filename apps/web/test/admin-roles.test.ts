import type { AdminRoleName } from '@herald/contract';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAdmin } from '../../../prisma/seed-admin.js';
import { signInToConsole } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { csrfOf, signedInCookie, type Account } from './support/console-sign-in.js';
import { getPage, postForm, textOf } from './support/forms.js';

/**
 * Issue 13's team: roles checked on the server in every loader and action (a hidden button stops
 * nobody), owners inviting people with a single-use link by email, deactivation, and the audit log
 * page with its CSV. Against the built API, worker and web app, with a real SMTP server; the pages in
 * Chromium with JavaScript off, through axe-core at 360 and 1280 px.
 */
let stack: ConsoleStack;
let browser: Browser;
let noScript: BrowserContext;
let page: Page;
const run = randomBytes(3).toString('hex');

async function account(role: AdminRoleName): Promise<Account> {
  const created = {
    email: `${role}-${randomBytes(4).toString('hex')}@example.test`,
    password: `pw-${randomBytes(9).toString('base64url')}`,
  };
  await seedAdmin(stack.db, { ...created, role });
  return created;
}

/** A draft campaign made with the bootstrap key. */
async function draftCampaign(): Promise<string> {
  const created = await stack.api.call('POST', '/v1/campaigns', {
    name: `Roles ${run} ${randomBytes(2).toString('hex')}`,
    template: 'newsletter',
    data: {
      headline: 'Roles',
      intro: 'Who may do what.',
      articles: [{ title: 'One', summary: 'Two.', url: 'https://example.test/r' }],
    },
    audience: { attributes: { run } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

beforeAll(async () => {
  // The API and worker outside production, so a webhook endpoint may be a plain-http local receiver.
  [stack, browser] = await Promise.all([startConsoleStack({ NODE_ENV: 'test' }), launchChromium()]);
  noScript = await browser.newContext({ javaScriptEnabled: false });
  page = await noScript.newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Who may read which console section (the menu and the pages agree). */
const SECTIONS: Record<string, AdminRoleName[]> = {
  '/admin/campaigns': ['owner', 'marketer', 'viewer'],
  '/admin/campaigns/new': ['owner', 'marketer'],
  '/admin/policies': ['owner', 'operator', 'viewer'],
  '/admin/policies/new': ['owner', 'operator'],
  '/admin/templates': ['owner', 'marketer', 'operator', 'viewer'],
  '/admin/contacts': ['owner', 'support', 'viewer'],
  '/admin/suppressions': ['owner', 'operator', 'support', 'viewer'],
  '/admin/forms': ['owner', 'support'],
  '/admin/imports': ['owner', 'support'],
  '/admin/team': ['owner'],
  '/admin/keys': ['owner'],
  '/admin/webhooks': ['owner'],
  '/admin/audit': ['owner', 'viewer'],
  '/admin/conformance': ['owner', 'viewer'],
};

describe('roles', () => {
  it('each role, in Chromium: its menu shows only its sections, and the others answer 403', async () => {
    for (const role of ['owner', 'marketer', 'operator', 'support', 'viewer'] as const) {
      const context = await browser.newContext({ javaScriptEnabled: false });
      try {
        const tab = await context.newPage();
        await signInToConsole(tab, stack.web.url, await account(role), '/admin/account');
        const menu = await tab
          .getByRole('navigation', { name: 'Console' })
          .getByRole('link')
          .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
        const readable = Object.entries(SECTIONS)
          .filter(([path, allowed]) => !path.endsWith('/new') && allowed.includes(role))
          .map(([path]) => path);
        expect([role, menu]).toEqual([role, [...readable, '/admin/account']]);
        // The console opens on the first section the role may read.
        await tab.goto(`${stack.web.url}/admin`);
        expect([role, new URL(tab.url()).pathname]).toEqual([role, readable[0]]);
        // A section it may not read is the 403 page, in the browser as for any client.
        const refused = Object.entries(SECTIONS).find(([, allowed]) => !allowed.includes(role))?.[0];
        if (refused) {
          const answer = await tab.goto(`${stack.web.url}${refused}`);
          expect([role, refused, answer?.status()]).toEqual([role, refused, 403]);
          expect(await tab.getByRole('heading', { level: 1 }).first().textContent()).toBe(
            'Your role cannot do this',
          );
        }
        // Every section, with the browser's session cookie.
        const cookie = (await context.cookies())
          .filter((entry) => entry.name === 'herald_admin')
          .map((entry) => `${entry.name}=${entry.value}`)
          .join('; ');
        for (const [path, allowed] of Object.entries(SECTIONS)) {
          const answer = await getPage(`${stack.web.url}${path}`, { cookie });
          expect([role, path, answer.status]).toEqual([role, path, allowed.includes(role) ? 200 : 403]);
        }
      } finally {
        await context.close();
      }
    }
  });

  it('a direct POST from a support session to schedule a campaign gets 403 and changes nothing', async () => {
    const id = await draftCampaign();
    const cookie = await signedInCookie(stack.web.url, await account('support'));
    // The session's CSRF token, from a page the support role may open.
    const csrf = csrfOf((await getPage(`${stack.web.url}/admin/account`, { cookie })).html);
    expect(csrf).not.toBe('');
    const posted = await postForm(
      `${stack.web.url}/admin/campaigns/${id}`,
      [
        ['csrf', csrf],
        ['intent', 'schedule'],
        ['sendAt', '2030-01-01T09:00'],
        ['timezone', 'UTC'],
      ],
      { cookie, origin: stack.web.url },
    );
    expect(posted.status).toBe(403);
    expect((await stack.db.campaign.findUniqueOrThrow({ where: { id } })).status).toBe('draft');
    expect(
      await stack.db.auditLogEntry.count({ where: { targetId: id, action: 'campaign.scheduled' } }),
    ).toBe(0);
  });

  it('a viewer sees campaigns without the buttons that change them', async () => {
    const cookie = await signedInCookie(stack.web.url, await account('viewer'));
    const list = await getPage(`${stack.web.url}/admin/campaigns`, { cookie });
    expect(list.status).toBe(200);
    expect(list.html).not.toContain('href="/admin/campaigns/new"');
    const owner = await signedInCookie(stack.web.url, await account('owner'));
    expect((await getPage(`${stack.web.url}/admin/campaigns`, { cookie: owner })).html).toContain(
      'href="/admin/campaigns/new"',
    );
  });
});

describe('team accounts', () => {
  it('an owner invites a person by email; the link works once, and the new account has its role', async () => {
    const owner = await account('owner');
    await signInToConsole(page, stack.web.url, owner, '/admin/team');
    await inspectPage(page, 'admin-team');
    const invitee = `invitee-${run}@example.test`;
    const form = page.getByRole('form', { name: 'Invite a person' });
    await form.getByLabel('Email address').fill(invitee);
    await form.getByLabel('Role').selectOption('support');
    await submit(page, 'Send the invitation');
    expect(await page.getByRole('status').textContent()).toContain('The invitation is on its way');

    const mail = await stack.catcher.waitFor((message) => message.envelope.to.includes(invitee), {
      timeoutMs: 30_000,
    });
    expect(mail.subject).toBe('You are invited to the Herald console as support');
    const parsed = await mail.parse();
    const link = String(parsed.text).match(/https?:\/\/\S+\/admin\/invitation\/[\w-]+/)?.[0] ?? '';
    expect(link).not.toBe('');
    // The link is a credential: the stored message does not hold it.
    const stored = await stack.db.message.findFirstOrThrow({ where: { id: mail.heraldMessageId ?? '' } });
    expect(JSON.stringify(stored.data)).not.toContain(link.split('/').at(-1));
    const path = new URL(link).pathname;

    // Opening the link changes nothing (a scanner may open it); the form sets the password once.
    await page.goto(`${stack.web.url}${path}`);
    await page.goto(`${stack.web.url}${path}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Join the Herald console');
    await inspectPage(page, 'admin-invitation');
    // (A too-short password the browser itself refuses: the field has minlength.)
    await page.getByLabel('New password').fill('a-long-enough-password');
    await page.getByLabel('The same password again').fill('another-long-password');
    await submit(page, 'Set my password');
    expect(await page.locator('#repeat-error').textContent()).toContain('The two passwords differ');
    expect(await stack.db.adminUser.count({ where: { email: invitee } })).toBe(0);
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    await page.getByLabel('New password').fill(password);
    await page.getByLabel('The same password again').fill(password);
    await submit(page, 'Set my password');
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    const created = await stack.db.adminUser.findUniqueOrThrow({ where: { email: invitee } });
    expect(created.role).toBe('support');

    // Used: the same link is gone, for a browser and for a second post alike.
    const again = await getPage(`${stack.web.url}${path}`);
    expect(again.status).toBe(410);
    expect(textOf(again.html)).toContain('This link no longer works');
    const cookie = await signedInCookie(stack.web.url, { email: invitee, password });
    expect((await getPage(`${stack.web.url}/admin/suppressions`, { cookie })).status).toBe(200);
    expect((await getPage(`${stack.web.url}/admin/team`, { cookie })).status).toBe(403);

    const audit = await stack.db.auditLogEntry.findMany({
      where: { OR: [{ targetId: created.id }, { action: 'account.invited', actor: `admin:${owner.email}` }] },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((row) => [row.actor, row.action])).toEqual([
      [`admin:${owner.email}`, 'account.invited'],
      [`admin:${invitee}`, 'account.created'],
    ]);
  });

  it('an expired or replaced invitation link answers 410 and makes no account', async () => {
    const owner = await account('owner');
    const cookie = await signedInCookie(stack.web.url, owner);
    const csrf = csrfOf((await getPage(`${stack.web.url}/admin/team`, { cookie })).html);
    const invitee = `late-${run}@example.test`;
    const invite = () =>
      postForm(
        `${stack.web.url}/admin/team`,
        [
          ['csrf', csrf],
          ['intent', 'invite'],
          ['email', invitee],
          ['role', 'viewer'],
        ],
        { cookie, origin: stack.web.url },
      );
    expect((await invite()).status).toBe(303);
    const first = await stack.catcher.waitFor((m) => m.envelope.to.includes(invitee), { timeoutMs: 30_000 });
    expect((await invite()).status).toBe(303);
    const second = await stack.catcher.waitFor((m) => m.envelope.to.includes(invitee) && m.id !== first.id, {
      timeoutMs: 30_000,
    });
    const linkOf = async (mail: typeof first) =>
      new URL(String((await mail.parse()).text).match(/https?:\/\/\S+\/admin\/invitation\/[\w-]+/)?.[0] ?? '')
        .pathname;
    expect((await getPage(`${stack.web.url}${await linkOf(first)}`)).status).toBe(410);
    const latest = await linkOf(second);
    expect((await getPage(`${stack.web.url}${latest}`)).status).toBe(200);
    await stack.db.adminInvitation.updateMany({
      where: { email: invitee },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await getPage(`${stack.web.url}${latest}`)).status).toBe(410);
    expect(await stack.db.adminUser.count({ where: { email: invitee } })).toBe(0);
  });

  it('deactivating ends the person’s sessions and sign-in; the last owner cannot be demoted', async () => {
    const owner = await account('owner');
    const marketer = await account('marketer');
    const ownerCookie = await signedInCookie(stack.web.url, owner);
    const marketerCookie = await signedInCookie(stack.web.url, marketer);
    const csrf = csrfOf((await getPage(`${stack.web.url}/admin/team`, { cookie: ownerCookie })).html);
    const { id } = await stack.db.adminUser.findUniqueOrThrow({ where: { email: marketer.email } });
    const post = (fields: [string, string][]) =>
      postForm(`${stack.web.url}/admin/team`, [['csrf', csrf], ...fields], {
        cookie: ownerCookie,
        origin: stack.web.url,
      });

    expect(
      (
        await post([
          ['intent', 'deactivate'],
          ['id', id],
        ])
      ).status,
    ).toBe(303);
    expect((await getPage(`${stack.web.url}/admin/campaigns`, { cookie: marketerCookie })).status).toBe(303);
    await expect(signedInCookie(stack.web.url, marketer)).rejects.toThrow('sign-in answered 401');
    expect(
      (
        await post([
          ['intent', 'reactivate'],
          ['id', id],
        ])
      ).status,
    ).toBe(303);
    expect(await signedInCookie(stack.web.url, marketer)).toMatch(/^herald_admin=/);

    // Every other owner is deactivated for this check, so this owner is the only active one.
    const others = await stack.db.adminUser.findMany({
      where: { role: 'owner', deactivatedAt: null, NOT: { email: owner.email } },
    });
    await stack.db.adminUser.updateMany({
      where: { id: { in: others.map((o) => o.id) } },
      data: { deactivatedAt: new Date() },
    });
    try {
      const me = await stack.db.adminUser.findUniqueOrThrow({ where: { email: owner.email } });
      const demoted = await post([
        ['intent', 'role'],
        ['id', me.id],
        ['role', 'viewer'],
      ]);
      expect(demoted.status).toBe(409);
      expect(textOf(demoted.html)).toContain('is the only active owner');
      expect((await stack.db.adminUser.findUniqueOrThrow({ where: { id: me.id } })).role).toBe('owner');
    } finally {
      await stack.db.adminUser.updateMany({
        where: { id: { in: others.map((o) => o.id) } },
        data: { deactivatedAt: null },
      });
    }
    const actions = await stack.db.auditLogEntry.findMany({
      where: { targetId: id },
      orderBy: { id: 'asc' },
    });
    expect(actions.map((row) => row.action)).toEqual(['account.deactivated', 'account.reactivated']);
  });
});

describe('API keys page', () => {
  it('an owner creates a key with its scopes, sees it once, and revokes it', async () => {
    const owner = await account('owner');
    await noScript.clearCookies();
    await signInToConsole(page, stack.web.url, owner, '/admin/keys');
    const name = `billing-${run}`;
    const form = page.getByRole('form', { name: 'Create a key' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel(/^messages:read:/).check();
    await submit(page, 'Create the key');
    const key = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(key).toMatch(/^hk_/);
    await inspectPage(page, 'admin-keys');
    const asKey = (path: string) =>
      fetch(`${stack.herald.apiUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
    expect((await asKey('/v1/messages?limit=1')).status).toBe(200);
    expect((await asKey('/v1/campaigns')).status).toBe(403);
    // Shown once: the page loaded again lists the key without it.
    await page.goto(`${stack.web.url}/admin/keys`);
    expect(await page.content()).not.toContain(key);
    await submit(page, `Revoke ${name}`);
    expect((await asKey('/v1/messages?limit=1')).status).toBe(401);
    const audit = await stack.db.auditLogEntry.findMany({
      where: { actor: `admin:${owner.email}`, action: { startsWith: 'api-key.' } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((row) => row.action)).toEqual(['api-key.created', 'api-key.revoked']);
  });

  it('refuses a key without a scope, naming the field, and creates nothing', async () => {
    const owner = await account('owner');
    const cookie = await signedInCookie(stack.web.url, owner);
    const csrf = csrfOf((await getPage(`${stack.web.url}/admin/keys`, { cookie })).html);
    const name = `empty-${run}`;
    const refused = await postForm(
      `${stack.web.url}/admin/keys`,
      [
        ['csrf', csrf],
        ['intent', 'create'],
        ['name', name],
      ],
      { cookie, origin: stack.web.url },
    );
    expect(refused.status).toBe(422);
    expect(textOf(refused.html)).toContain('Must name at least one scope.');
    expect(await stack.db.apiKey.count({ where: { name } })).toBe(0);
  });
});

describe('webhooks page', () => {
  it('an owner adds an endpoint, sees its secret once, reads the delivery log and sends an event again', async () => {
    const received: { id: string; type: string }[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({
          id: String(request.headers['webhook-id']),
          type: (JSON.parse(body) as { type: string }).type,
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
      const owner = await account('owner');
      await noScript.clearCookies();
      await signInToConsole(page, stack.web.url, owner, '/admin/webhooks');
      const form = page.getByRole('form', { name: 'Add an endpoint' });
      await form.getByLabel('Address (https)').fill(url);
      await form.getByLabel('contact.unsubscribed').check();
      await submit(page, 'Add the endpoint');
      const secret = page.getByTestId('webhook-secret');
      expect(await secret.count(), await page.locator('body').innerText()).toBe(1);
      expect(await secret.textContent()).toMatch(/^whsec_/);
      await inspectPage(page, 'admin-webhooks');

      const contact = await stack.api.call('POST', '/v1/contacts', { email: `hooked-${run}@example.test` });
      const changed = await stack.api.call('PUT', `/v1/contacts/${contact.body.id}/preferences`, {
        changes: [{ category: 'newsletter', subscribed: false }],
        reason: 'Asked by mail',
      });
      expect(changed.status).toBe(200);
      const deadline = Date.now() + 30_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(received.map((event) => event.type)).toEqual(['contact.unsubscribed']);

      const { id } = await stack.db.webhookEndpoint.findFirstOrThrow({ where: { url } });
      await page.goto(`${stack.web.url}/admin/webhooks?endpoint=${id}`);
      const rows = await page.getByTestId('webhook-deliveries').locator('tbody tr').allTextContents();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain('contact.unsubscribed');
      expect(rows[0]).toContain('delivered');
      await submit(page, 'Send again');
      expect(await page.getByRole('status').first().textContent()).toContain('sent again');
      while (received.length < 2 && Date.now() < deadline + 30_000)
        await new Promise((r) => setTimeout(r, 200));
      expect(received.map((event) => event.id)).toEqual([received[0]?.id, received[0]?.id]);

      // "Enable again" shows beside a disabled endpoint only, and asks the API to enable it.
      const enableButton = page.getByRole('button', { name: 'Enable again' });
      expect(await enableButton.count()).toBe(0);
      await stack.db.webhookEndpoint.update({
        where: { id },
        data: { disabledAt: new Date(), disabledReason: 'deliveries failed (test)' },
      });
      await page.goto(`${stack.web.url}/admin/webhooks`);
      expect(await enableButton.count()).toBe(1);
      await submit(page, 'Enable again');
      expect(await page.getByRole('status').first().textContent()).toContain('enabled again');
      expect(await enableButton.count()).toBe(0);
      expect((await stack.db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).disabledAt).toBeNull();
      const enabled = await stack.db.auditLogEntry.findMany({
        where: { targetId: id, action: 'webhook.enabled' },
      });
      expect(enabled.map((row) => row.actor)).toEqual([`admin:${owner.email}`]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe('the audit log page', () => {
  it('lists changes with filters and downloads them as CSV; a marketer may not read it', async () => {
    const marketer = await account('marketer');
    const id = await draftCampaign();
    const marketerCookie = await signedInCookie(stack.web.url, marketer);
    const csrf = csrfOf(
      (await getPage(`${stack.web.url}/admin/campaigns/${id}`, { cookie: marketerCookie })).html,
    );
    const cancelled = await postForm(
      `${stack.web.url}/admin/campaigns/${id}`,
      [
        ['csrf', csrf],
        ['intent', 'cancel'],
      ],
      { cookie: marketerCookie, origin: stack.web.url },
    );
    expect(cancelled.status).toBe(303);
    expect((await getPage(`${stack.web.url}/admin/audit`, { cookie: marketerCookie })).status).toBe(403);

    const viewer = await account('viewer');
    await noScript.clearCookies();
    await signInToConsole(
      page,
      stack.web.url,
      viewer,
      `/admin/audit?actor=${encodeURIComponent(`admin:${marketer.email}`)}`,
    );
    const rows = await page.getByTestId('audit-log').locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`admin:${marketer.email}campaign.cancelledcampaign ${id}`);
    await inspectPage(page, 'admin-audit');

    const viewerCookie = await signedInCookie(stack.web.url, viewer);
    const csv = await fetch(
      `${stack.web.url}/admin/audit/csv?actor=${encodeURIComponent(`admin:${marketer.email}`)}`,
      {
        headers: { cookie: viewerCookie },
      },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,admin:${marketer.email},campaign.cancelled,campaign,${id},`);

    const bad = await getPage(`${stack.web.url}/admin/audit?from=not-a-date`, { cookie: viewerCookie });
    expect(bad.status).toBe(200);
    expect(textOf(bad.html)).toContain('must be a date');
  });
});
