import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';
import { NEWSLETTER_DATA } from './support/campaigns.js';

/**
 * Issue 11, findings 3 and 4, through the API: what a caller sends is bounded before any of it is
 * rendered or checked with work that grows faster than its length. The body limit is raised here so
 * that the data limits, not the body parser's, are what refuses the larger requests.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { HERALD_MAX_BODY_BYTES: String(1024 * 1024) } });
});
afterAll(async () => h?.close());

const LONGEST = 10_000;
const section = (n: number) =>
  `<mj-section><mj-column><mj-text>Paragraph ${n} of the notice: {{title}} is ready.</mj-text></mj-column></mj-section>`;
/** A realistic template of a few thousand characters. */
const MJML = `<mjml>\n<mj-body>\n${Array.from({ length: 30 }, (_, n) => section(n)).join('\n')}\n</mj-body>\n</mjml>`;

const saveTemplate = (key: string, mjml: string) =>
  h.request('POST', '/v1/templates', { key, category: 'service-notices', subject: 'About {{title}}', mjml });

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work;
  return { result, ms: performance.now() - started };
}

describe('template saves are checked in linear time (finding 3)', () => {
  it('answers a save with whitespace then text after </mjml> within a second, naming the problem, and keeps answering', async () => {
    expect(MJML.length).toBeGreaterThan(3000);
    // The same template with trailing whitespace only is valid; saving it first also means the
    // timed request below meets a warm process and database connection, as a save in service does.
    const saved = await saveTemplate('redos-trailing', `${MJML}\n${' '.repeat(26)}\n`);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);

    // 11.4 s (measured) with the expression the structure check used before: it doubled with each space.
    const { result: refused, ms } = await timed(
      saveTemplate('redos-trailing', `${MJML}\n${' '.repeat(26)}Thanks`),
    );
    expect(ms).toBeLessThan(1000);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([
      { field: 'mjml', line: 34, message: 'Content after </mjml>: everything must be inside <mjml>' },
    ]);
    const latest = await h.request('GET', '/v1/templates/redos-trailing');
    expect(latest.status).toBe(200);
    expect(latest.body.version).toBe(1);
  });
});

describe('template data is bounded (finding 4)', () => {
  it('refuses a data string over 10,000 characters in POST /v1/messages with a 400 naming the field, and creates nothing', async () => {
    const before = await h.db.message.count();
    const email = uniqueEmail('bounded');
    const tooLong = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: { title: 'Notice', body: 'x'.repeat(LONGEST + 1) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({
      code: 'invalid_request',
      message: 'Invalid request body: data.body: must be at most 10,000 characters (it has 10,001)',
    });

    const nested = await h.request('POST', '/v1/messages', {
      template: 'newsletter',
      to: { email },
      data: {
        ...NEWSLETTER_DATA,
        articles: [
          { title: 'One', summary: 'Fine', url: 'https://example.com/1' },
          { title: 'Two', summary: ' '.repeat(LONGEST + 1), url: 'https://example.com/2' },
        ],
      },
    });
    expect(nested.status).toBe(400);
    expect(nested.body.error.message).toContain('data.articles.1.summary: must be at most 10,000 characters');
    expect(await h.db.message.count()).toBe(before);
  });

  it('refuses data over 256 KiB and data nested deeper than 32 levels, naming them', async () => {
    const email = uniqueEmail('bounded');
    const heavy = Object.fromEntries(Array.from({ length: 30 }, (_, n) => [`part${n}`, 'y'.repeat(9_000)]));
    const tooHeavy = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: { title: 'Notice', body: 'Body', ...heavy },
    });
    expect(tooHeavy.status).toBe(400);
    expect(tooHeavy.body.error.message).toMatch(
      /^Invalid request body: data: must be at most 256 KiB as JSON \(it is 26\d KiB\)$/,
    );

    // Written as text: serializing 10,000 levels would overflow this process's own stack.
    const deep = `${'{"inner":'.repeat(10_000)}"bottom"${'}'.repeat(10_000)}`;
    const tooDeep = await h.request(
      'POST',
      '/v1/messages',
      `{"template":"service-notice","to":{"email":"${email}"},"data":{"title":"Notice","body":"Body","deep":${deep}}}`,
    );
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.message).toMatch(
      /^Invalid request body: data\.deep(\.inner){31}: is nested too deeply/,
    );
  });

  it('accepts a string of exactly 10,000 characters, spaces included, and renders it', async () => {
    expect((await saveTemplate('bounded-longest', MJML)).status).toBe(201);
    const title = `a${' '.repeat(LONGEST - 2)}b`;
    const preview = await h.request('POST', '/v1/templates/bounded-longest/preview', { data: { title } });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.subject).toBe(`About ${title}`);
    const sent = await h.request('POST', '/v1/messages', {
      template: 'bounded-longest',
      to: { email: uniqueEmail('bounded') },
      data: { title },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  });

  it('bounds campaign data, preview data and template fixtures the same way', async () => {
    const campaign = await h.request('POST', '/v1/campaigns', {
      name: 'Too long',
      template: 'newsletter',
      data: { ...NEWSLETTER_DATA, intro: 'z'.repeat(LONGEST + 1) },
    });
    expect(campaign.status).toBe(400);
    expect(campaign.body.error.message).toContain('data.intro: must be at most 10,000 characters');

    const preview = await h.request('POST', '/v1/templates/service-notice/preview', {
      data: { title: 'Notice', body: 'z'.repeat(LONGEST + 1) },
    });
    expect(preview.status).toBe(400);
    expect(preview.body.error.message).toContain('data.body: must be at most 10,000 characters');

    const fixture = await h.request('POST', '/v1/templates', {
      key: 'bounded-fixture',
      category: 'service-notices',
      subject: 'About {{title}}',
      mjml: MJML,
      fixture: { title: 'z'.repeat(LONGEST + 1) },
    });
    expect(fixture.status).toBe(400);
    expect(fixture.body.error.message).toContain('fixture.title: must be at most 10,000 characters');
  });
});
