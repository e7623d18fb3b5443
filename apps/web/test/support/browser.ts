import axe from 'axe-core';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

const SCREENSHOTS = fileURLToPath(new URL('../../../../test-results/screenshots/', import.meta.url));

/** Debian's Chromium (`npm test` installs it when missing), headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
];

/**
 * What every page must pass, at a phone's and a desktop's width: axe-core with no serious or
 * critical violation, no sideways scrolling, and a screenshot kept under test-results/screenshots.
 *
 * axe needs timers, which never fire in a page whose JavaScript is off, so axe audits a copy:
 * the page's current HTML without its scripts, served at the same address (so its stylesheet
 * loads) in a context where JavaScript runs.
 */
export async function inspectPage(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const browser = page.context().browser();
  if (!browser) throw new Error('inspectPage needs a page from a launched browser');
  const auditContext = await browser.newContext();
  try {
    const audit = await auditContext.newPage();
    await audit.route(page.url(), (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: html }),
    );
    await audit.goto(page.url());
    await audit.evaluate(axe.source);
    for (const viewport of VIEWPORTS) {
      await audit.setViewportSize(viewport);
      const results = await audit.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run());
      const serious = results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map(
          (violation) =>
            `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        );
      expect(serious, `${name} at ${viewport.width}px`).toEqual([]);

      await page.setViewportSize(viewport);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `${name} scrolls sideways at ${viewport.width}px`).toBeLessThanOrEqual(
        viewport.width,
      );
      await page.screenshot({ path: `${SCREENSHOTS}${name}-${viewport.width}.png`, fullPage: true });
    }
  } finally {
    await auditContext.close();
  }
}

/**
 * Clicks a submit button and waits for the page it loads. Without JavaScript the page cannot be
 * polled for text (Playwright's waiting runs timers there), so wait for the navigation itself.
 */
export async function submit(page: Page, buttonName: string): Promise<void> {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: buttonName }).click(),
  ]);
}
