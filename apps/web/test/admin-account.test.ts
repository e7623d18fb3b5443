import type { Db } from '@herald/db';
import { startHeraldWithWeb, type HeraldWithWeb } from '@herald/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInToConsole } from './support/admin-pages.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { newAdmin, signIn, type Account } from './support/console-sign-in.js';
import { connect } from './support/fixtures.js';

/**
 * Issue 11, finding 9, in real Chromium with JavaScript off: the console's own account page, linked
 * from its navigation. "Sign out everywhere" ends the sessions of every browser; a password change
 * ends every other session and the old password with it, and keeps this browser signed in. Each
 * change is in the audit log. The page passes axe-core at 360 and 1280 px.
 */
let stack: HeraldWithWeb;
let browser: Browser;
let db: Db;
let webUrl: string;

beforeAll(async () => {
  db = connect();
  [stack, browser] = await Promise.all([startHeraldWithWeb({ workers: 0 }), launchChromium()]);
  webUrl = stack.web.url;
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await db?.$disconnect();
});

/** Two browsers (separate cookie jars) signed in to the same account. */
async function twoBrowsers(admin: Account): Promise<[Page, Page]> {
  const pages: Page[] = [];
  for (const path of ['/admin/campaigns', '/admin/policies']) {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInToConsole(page, webUrl, admin, path);
    expect(new URL(page.url()).pathname).toBe(path);
    pages.push(page);
  }
  return pages as [Page, Page];
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

async function auditOf(email: string) {
  return db.auditLogEntry.findMany({ where: { actor: `admin:${email}` }, orderBy: { id: 'asc' } });
}

describe('console account page', () => {
  it('signs every browser out with “Sign out everywhere”', async () => {
    const admin = await newAdmin(db);
    const [mine, other] = await twoBrowsers(admin);
    await mine
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Your account' })
      .click();
    expect(pathOf(mine)).toBe('/admin/account');
    await expect(mine.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your account');
    const rows = mine.getByTestId('sessions').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.filter({ hasText: 'This browser' }).count()).toBe(1);
    await inspectPage(mine, 'admin-account');

    await submit(mine, 'Sign out everywhere');
    expect(pathOf(mine)).toBe('/admin/sign-in');
    await other.reload();
    expect(pathOf(other)).toBe('/admin/sign-in');
    await mine.goto(`${webUrl}/admin/account`);
    expect(pathOf(mine)).toBe('/admin/sign-in');

    const { id } = await db.adminUser.findUniqueOrThrow({ where: { email: admin.email } });
    const sessions = await db.adminSession.findMany({ where: { adminUserId: id } });
    expect(sessions).toHaveLength(2);
    expect(sessions.every((session) => session.revokedAt !== null)).toBe(true);
    const [entry, ...more] = await auditOf(admin.email);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: 'session.signed-out-everywhere',
      targetType: 'admin-user',
      targetId: id,
      details: { sessionsEnded: 2 },
    });
  });

  it('changes the password: checks the current one, ends the other sessions, keeps this one', async () => {
    const admin = await newAdmin(db);
    const newPassword = `${admin.password}-renewed`;
    const [mine, other] = await twoBrowsers(admin);
    await mine.goto(`${webUrl}/admin/account`);
    const change = async (current: string, next: string, again: string) => {
      await mine.getByLabel('Current password').fill(current);
      await mine.getByLabel('New password', { exact: true }).fill(next);
      await mine.getByLabel('New password again').fill(again);
      await submit(mine, 'Change password');
    };

    await change('not-my-password', newPassword, newPassword);
    await expect(mine.getByText('That is not your current password.').isVisible()).resolves.toBe(true);
    await change(admin.password, newPassword, `${newPassword}x`);
    await expect(mine.getByText('The two new passwords differ').isVisible()).resolves.toBe(true);
    expect(await auditOf(admin.email)).toEqual([]);

    await change(admin.password, newPassword, newPassword);
    await expect(mine.getByRole('status').textContent()).resolves.toContain(
      'Your password was changed. 1 other session was signed out.',
    );
    await mine.goto(`${webUrl}/admin/campaigns`);
    expect(pathOf(mine)).toBe('/admin/campaigns');
    await other.reload();
    expect(pathOf(other)).toBe('/admin/sign-in');

    expect((await signIn(webUrl, admin)).status).toBe(401);
    expect((await signIn(webUrl, { ...admin, password: newPassword })).status).toBe(303);
    const { id } = await db.adminUser.findUniqueOrThrow({ where: { email: admin.email } });
    const [entry, ...more] = await auditOf(admin.email);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: 'password.changed',
      targetType: 'admin-user',
      targetId: id,
      details: { otherSessionsEnded: 1 },
    });
  });

  it('refuses a new password shorter than the seed allows, and a form without its CSRF token', async () => {
    const admin = await newAdmin(db);
    const [mine] = await twoBrowsers(admin);
    await mine.goto(`${webUrl}/admin/account`);
    // What a browser without the minLength check would post.
    await mine
      .getByLabel('New password', { exact: true })
      .evaluate((input) => input.removeAttribute('minlength'));
    await mine.getByLabel('New password again').evaluate((input) => input.removeAttribute('minlength'));
    await mine.getByLabel('Current password').fill(admin.password);
    await mine.getByLabel('New password', { exact: true }).fill('eleven-char');
    await mine.getByLabel('New password again').fill('eleven-char');
    await submit(mine, 'Change password');
    await expect(
      mine.getByText('Choose a new password of at least 12 characters.').isVisible(),
    ).resolves.toBe(true);
    const csrfLess = await mine.context().request.post(`${webUrl}/admin/account`, {
      form: { intent: 'sign-out-everywhere' },
      maxRedirects: 0,
    });
    expect(csrfLess.status()).toBe(403);
    expect(await auditOf(admin.email)).toEqual([]);
    expect((await signIn(webUrl, admin)).status).toBe(303);
  });
});
