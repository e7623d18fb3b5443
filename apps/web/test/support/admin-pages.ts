import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { submit } from './browser.js';

/** Opens a console page, is sent to the sign-in form, signs in and lands back on it. */
export async function signInToConsole(
  page: Page,
  baseUrl: string,
  admin: { email: string; password: string },
  path = '/admin',
) {
  await page.goto(`${baseUrl}${path}`);
  expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
  await page.getByLabel('Email address').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await submit(page, 'Sign in');
}

/**
 * Reloads a page (JavaScript is off: nothing refreshes it otherwise) until `ready` holds, as an
 * operator would. Fails with the last value it saw.
 */
export async function reloadUntil<T>(
  page: Page,
  read: () => Promise<T>,
  ready: (value: T) => boolean,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ready(value)) {
    if (Date.now() > deadline) throw new Error(`page never got ready; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await page.reload({ waitUntil: 'load' });
    value = await read();
  }
  return value;
}

/** The figures of a `<dl class="counts">` by their labels, as numbers. */
export async function readCounts(page: Page, testId: string): Promise<Record<string, number>> {
  const pairs = await page
    .getByTestId(testId)
    .locator('div')
    .evaluateAll((items) =>
      items.map((item) => [
        item.querySelector('dt')?.textContent ?? '',
        item.querySelector('dd')?.textContent ?? '',
      ]),
    );
  return Object.fromEntries(pairs.map(([label, value]) => [label, Number((value ?? '').replace(/\D/g, ''))]));
}

/** The status pill next to the page's heading. */
export const statusOf = (page: Page) => page.locator('.page-head .badge').textContent();
