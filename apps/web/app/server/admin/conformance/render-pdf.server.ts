import { existsSync } from 'node:fs';
import { data } from '@remix-run/node';

/** Where the console finds Chromium to print a report to PDF (Debian's package by default). */
const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Prints one of the console's own pages to PDF in headless Chromium, as the signed-in person sees
 * it (their cookie goes with the request), so the PDF is the page and never a second rendering of
 * the report. Without Chromium the answer is a 503 that says so: the page itself still prints.
 */
export async function renderPagePdf(url: string, cookie: string): Promise<Uint8Array> {
  if (!existsSync(chromiumPath())) {
    throw data(
      {
        message: `PDF needs Chromium at ${chromiumPath()} (set CHROMIUM_PATH); print the page from the browser instead.`,
      },
      { status: 503 },
    );
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { cookie } });
    const page = await context.newPage();
    const response = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    if (!response?.ok()) throw data(null, { status: response?.status() ?? 502 });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
  }
}
