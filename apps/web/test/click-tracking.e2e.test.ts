import { createPrismaClient, type Db } from '@herald/db';
import { signClickToken, parseSigningKeys } from '@herald/preferences';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm } from './support/forms.js';
import {
  startHeraldWithWeb,
  startTcpProxy,
  startTestSmtpServer,
  startWebServer,
  type ApiClient,
  type HeraldWithWeb,
  type TestSmtpServer,
  type WebServer,
} from '@herald/test-support';

/**
 * Click tracking across the built processes (docs/decisions/022-click-tracking.md): the worker
 * wraps a promotional message's links in signed /c/{token} redirects, the web server answers them
 * in one hop and records the clicks in batches, and the campaign report counts people apart from
 * link scanners.
 */
let catcher: TestSmtpServer;
let stack: HeraldWithWeb;
let web: WebServer;
let api: ApiClient;
let db: Db;

const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const ARTICLES = ['one', 'two', 'three'].map((slug) => ({
  title: `Article ${slug}`,
  summary: `About ${slug}.`,
  url: `https://example.test/articles/${slug}?ref=mail&x=1`,
}));
const NEWSLETTER = { headline: 'News', intro: 'Three things.', articles: ARTICLES };
const POLICY = {
  policyTitle: 'Privacy Policy',
  summary: 'We now keep support conversations for 12 months.',
  effectiveDate: '1 March 2027',
  policyUrl: 'https://example.test/legal/privacy',
};

beforeAll(async () => {
  catcher = await startTestSmtpServer();
  stack = await startHeraldWithWeb({ env: { SMTP_URL: catcher.smtpUrl } });
  ({ web } = stack);
  api = stack.herald.client;
  db = createPrismaClient({ databaseUrl: stack.herald.env.DATABASE_URL ?? '' });
});
afterAll(async () => {
  await stack?.stop();
  await catcher?.close();
  await db?.$disconnect();
});

async function createContact(locale = 'en') {
  const email = `clicks-${randomBytes(5).toString('hex')}@example.test`;
  const response = await api.call('POST', '/v1/contacts', { email, locale });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { id: response.body.id as string, email };
}

async function sendAndReceive(template: string, contactId: string, data: object) {
  const response = await api.call('POST', '/v1/messages', { template, to: { contactId }, data });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  const id = response.body.id as string;
  const mail = await catcher.waitFor((m) => m.heraldMessageId === id, { timeoutMs: 20_000 });
  const parsed = await mail.parse();
  return { id, mail, html: parsed.html || '', text: parsed.text || '' };
}

/** Every href of the HTML part as a browser reads it (Handlebars writes = as &#x3D; and & as &amp;). */
const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]+)"/g)].map(
    (match) => match[1]?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') ?? '',
  );
const trackedIn = (html: string) => [
  ...new Set(hrefs(html).filter((href) => href.startsWith(`${web.url}/c/`))),
];

const follow = (url: string, init: { method?: string; userAgent?: string } = {}) =>
  fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: { 'user-agent': init.userAgent ?? BROWSER },
  });

async function clicksOf(messageId: string) {
  return db.linkClick.findMany({ where: { messageId }, orderBy: { id: 'asc' } });
}

async function waitForClicks(messageId: string, count: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await clicksOf(messageId);
    if (rows.length >= count) return rows;
    if (Date.now() > deadline) throw new Error(`${rows.length} of ${count} clicks of ${messageId} recorded`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('tracked links in a promotional message', () => {
  it('wraps the body links, not the unsubscribe and preference links; a wrapped link redirects in one hop to exactly its target', async () => {
    const contact = await createContact();
    const { id, mail, html, text } = await sendAndReceive('newsletter', contact.id, NEWSLETTER);

    const tracked = trackedIn(html);
    expect(tracked).toHaveLength(3);
    for (const article of ARTICLES) expect(hrefs(html)).not.toContain(article.url);
    // The compliance footer's links stay direct, and so does the List-Unsubscribe header.
    expect(hrefs(html).some((href) => href.startsWith(`${web.url}/unsubscribe/`))).toBe(true);
    expect(hrefs(html).some((href) => href.startsWith(`${web.url}/preferences/`))).toBe(true);
    expect(mail.header('list-unsubscribe')).toContain(`${web.url}/u/`);
    expect(mail.header('list-unsubscribe')).not.toContain('/c/');
    // The plain-text part carries the same tracked links.
    for (const link of tracked) expect(text).toContain(link);
    for (const article of ARTICLES) expect(text).not.toContain(article.url);

    const answer = await follow(tracked[1] ?? '');
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(ARTICLES[1]?.url);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const [click] = await waitForClicks(id, 1);
    expect(click).toMatchObject({ messageId: id, linkIndex: 1, url: ARTICLES[1]?.url, machine: null });
  });

  it('answers a forged token, and a valid token whose target was changed, with 400 and records nothing', async () => {
    const contact = await createContact();
    const { id, html } = await sendAndReceive('newsletter', contact.id, NEWSLETTER);
    const [link = ''] = trackedIn(html);
    const token = link.slice(`${web.url}/c/`.length);

    const bytes = Buffer.from(token, 'base64url');
    const changed = Buffer.from(bytes.toString('latin1').replace('example.test', 'evil.example'), 'latin1');
    expect(changed.toString('latin1')).toContain('evil.example');
    const forged = randomBytes(bytes.length).toString('base64url');

    for (const bad of [changed.toString('base64url'), forged, `${token}x`, 'not-a-token']) {
      const answer = await follow(`${web.url}/c/${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.headers.get('location')).toBeNull();
    }
    // Batches are written every 200 ms: give one a chance, then nothing is there.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await clicksOf(id)).toEqual([]);
  });

  it('gives plain links to a required transactional category, and to a contact who opted out in the preference center', async () => {
    const contact = await createContact();
    const policy = await sendAndReceive('policy-update', contact.id, POLICY);
    expect(trackedIn(policy.html)).toEqual([]);
    expect(hrefs(policy.html)).toContain(POLICY.policyUrl);

    // The contact ticks "Don't track my clicks" on the preference page their newsletter links to.
    const first = await sendAndReceive('newsletter', contact.id, NEWSLETTER);
    const preferencesUrl = hrefs(first.html).find((href) => href.startsWith(`${web.url}/preferences/`)) ?? '';
    const saved = await postForm(preferencesUrl, [
      ['form', 'preferences'],
      ['allPromotional', 'on'],
      ...['newsletter', 'product-news', 'promotions', 'service-notices', 'collaboration-invites'].flatMap(
        (key): [string, string][] => [
          ['shown', key],
          ['category', key],
        ],
      ),
      ['trackingShown', '1'],
      ['noTracking', 'on'],
    ]);
    expect(saved.status).toBe(200);
    expect(saved.html).toContain('Don’t track my clicks');
    expect(saved.html).toMatch(/<input[^>]*id="noTracking"[^>]*checked=""/);

    const log = await api.call('GET', `/v1/contacts/${contact.id}/consent-log`);
    expect(log.body.entries.map((e: any) => [e.action, e.source, e.messageId])).toEqual([
      ['tracking_off', 'preference-center', first.id],
    ]);
    const after = await sendAndReceive('newsletter', contact.id, NEWSLETTER);
    expect(trackedIn(after.html)).toEqual([]);
    for (const article of ARTICLES) expect(hrefs(after.html)).toContain(article.url);
    for (const article of ARTICLES) expect(after.text).toContain(article.url);
  });
});

describe('the API', () => {
  it('records a "don\'t track my clicks" a person asked support for, in the consent log, and refuses an empty change', async () => {
    const contact = await createContact();
    const put = (body: object) => api.call('PUT', `/v1/contacts/${contact.id}/preferences`, body);
    const off = await put({ clickTrackingOff: true, reason: 'asked by phone' });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({
      changed: [],
      clickTrackingOff: true,
      preferences: { clickTrackingOff: true },
    });
    expect(
      (await put({ clickTrackingOff: true, reason: 'asked again' })).body.clickTrackingOff,
    ).toBeUndefined();
    expect((await put({ reason: 'nothing' })).status).toBe(400);
    const log = await api.call('GET', `/v1/contacts/${contact.id}/consent-log`);
    expect(log.body.entries.map((e: any) => [e.action, e.source, e.reason])).toEqual([
      ['tracking_off', 'admin', 'asked by phone'],
    ]);
    const mail = await sendAndReceive('newsletter', contact.id, NEWSLETTER);
    expect(trackedIn(mail.html)).toEqual([]);
  });
});

describe('the campaign report', () => {
  it('counts a scanner burst as machine clicks, a person’s two clicks as one unique human click, and says so in the CSV', async () => {
    const run = `run-${randomBytes(5).toString('hex')}`;
    const person = await createContact('en');
    const scanned = await createContact('fr');
    const quiet = await createContact('en');
    for (const contact of [person, scanned, quiet]) {
      const patched = await api.call('PATCH', `/v1/contacts/${contact.id}`, { attributes: { run } });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    }
    const created = await api.call('POST', '/v1/campaigns', {
      name: 'Clicks',
      template: 'newsletter',
      data: NEWSLETTER,
      audience: { categories: ['newsletter'], attributes: { run } },
      sendAt: new Date().toISOString(),
      utm: { source: 'herald', medium: 'email', campaign: 'spring' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const campaignId = created.body.id as string;
    const mails = await Promise.all(
      [person, scanned, quiet].map((contact) =>
        catcher.waitFor((m) => m.envelope.to.includes(contact.email), { timeoutMs: 30_000 }),
      ),
    );
    const [personLinks, scannedLinks] = await Promise.all(
      mails.slice(0, 2).map(async (mail) => trackedIn((await mail.parse()).html || '')),
    );
    const target = `${ARTICLES[0]?.url}&utm_source=herald&utm_medium=email&utm_campaign=spring`;

    // A mail gateway: its own user agent, a HEAD, then every link at once with a browser's.
    expect(
      (await follow(scannedLinks?.[0] ?? '', { userAgent: 'Mozilla/5.0 (compatible; Barracuda Sentinel)' }))
        .status,
    ).toBe(302);
    expect((await follow(scannedLinks?.[1] ?? '', { method: 'HEAD' })).status).toBe(302);
    await Promise.all((scannedLinks ?? []).map((link) => follow(link)));
    // A person follows the first link twice.
    for (let i = 0; i < 2; i++) {
      const answer = await follow(personLinks?.[0] ?? '');
      expect(answer.headers.get('location')).toBe(target);
    }
    const scannedId = mails[1]?.heraldMessageId ?? '';
    await waitForClicks(scannedId, 5);
    await waitForClicks(mails[0]?.heraldMessageId ?? '', 2);

    const { status, body: report } = await api.call('GET', `/v1/campaigns/${campaignId}/report`);
    expect(status).toBe(200);
    expect(report).toMatchObject({
      delivered: 3,
      bounced: 0,
      uniqueHumanClicks: 1,
      humanClicks: 2,
      machineClicks: 5,
      machineByReason: { 'user-agent': 1, head: 1, burst: 3 },
      unsubscribes: 0,
      complaints: 0,
    });
    expect(report.clickRate).toBeCloseTo(1 / 3);
    expect(report.topLinks[0]).toEqual({
      url: target,
      uniqueHumanClicks: 1,
      humanClicks: 2,
      machineClicks: 2,
    });
    expect(report.byLocale).toEqual([
      { locale: 'en', delivered: 2, uniqueHumanClicks: 1, clickRate: 0.5 },
      { locale: 'fr', delivered: 1, uniqueHumanClicks: 0, clickRate: 0 },
    ]);
    const overTime = report.overTime.points.reduce(
      (sum: any, point: any) => ({
        human: sum.human + point.humanClicks,
        machine: sum.machine + point.machineClicks,
      }),
      { human: 0, machine: 0 },
    );
    expect(overTime).toEqual({ human: 2, machine: 5 });

    for (const path of [
      `/v1/campaigns/${campaignId}/report?format=csv`,
      `/v1/campaigns/${campaignId}/report.csv`,
    ]) {
      const csv = await fetch(`${stack.herald.apiUrl}${path}`, {
        headers: { authorization: `Bearer ${stack.herald.env.HERALD_API_KEY}` },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = (await csv.text()).split('\r\n');
      expect(lines[0]).toBe('section,item,metric,value');
      expect(lines).toContain('summary,,delivered,3');
      expect(lines).toContain('summary,,uniqueHumanClicks,1');
      expect(lines).toContain('summary,,machineClicks,5');
      expect(lines).toContain('machine,burst,clicks,3');
      expect(lines).toContain(`link,${target},uniqueHumanClicks,1`);
      expect(lines).toContain('locale,fr,delivered,1');
    }
  });
});

describe('categories', () => {
  it('track promotional mail by default, never a required category, and refuse bad input with 4xx', async () => {
    const key = `deals-${randomBytes(3).toString('hex')}`;
    const promotional = await api.call('POST', '/v1/categories', {
      key,
      name: 'Deals',
      description: 'Deals.',
      class: 'promotional',
    });
    expect(promotional.body).toMatchObject({ key, trackClicks: true });
    const transactional = await api.call('POST', '/v1/categories', {
      key: `${key}-t`,
      name: 'Receipts',
      description: 'Receipts.',
      class: 'transactional',
    });
    expect(transactional.body).toMatchObject({ trackClicks: false });
    const off = await api.call('PATCH', `/v1/categories/${key}`, { trackClicks: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ key, trackClicks: false });

    const requiredTracked = await api.call('POST', '/v1/categories', {
      key: `${key}-r`,
      name: 'Required',
      description: 'Required.',
      class: 'transactional',
      required: true,
      trackClicks: true,
    });
    expect(requiredTracked.status).toBe(400);
    expect(JSON.stringify(requiredTracked.body)).toContain('trackClicks');
    const security = await api.call('PATCH', '/v1/categories/security', { trackClicks: true });
    expect(security.status).toBe(400);
    expect(security.body.error.message).toContain('never tracked');
    expect((await api.call('PATCH', `/v1/categories/${key}`, { trackClicks: 'yes' })).status).toBe(400);
    expect((await api.call('PATCH', `/v1/categories/${key}`, {})).status).toBe(400);
    expect((await api.call('PATCH', '/v1/categories/no-such-category', { trackClicks: true })).status).toBe(
      404,
    );
  });
});

describe('with PostgreSQL unreachable', () => {
  it('still redirects, and writes the click once the database is back', async () => {
    const contact = await createContact();
    const { id, html } = await sendAndReceive('newsletter', contact.id, NEWSLETTER);
    const databaseUrl = stack.herald.env.DATABASE_URL ?? '';
    const proxy = await startTcpProxy({ targetPort: Number(new URL(databaseUrl).port || 5432) });
    const { WEB_PORT: _port, ...shared } = web.env;
    const cutOff = await startWebServer({ ...shared, DATABASE_URL: proxy.urlThrough(databaseUrl) }).catch(
      async (error) => {
        await proxy.close();
        throw error;
      },
    );
    try {
      proxy.refuse();
      proxy.cut();
      // The link as the mail has it, but through this server; and one signed here for another target.
      const token = (trackedIn(html)[2] ?? '').slice(`${web.url}/c/`.length);
      const keys = parseSigningKeys(stack.herald.env.HERALD_SECRET ?? '');
      const other = signClickToken({ messageId: id, linkIndex: 7, url: 'https://example.test/other' }, keys);
      const started = Date.now();
      const answer = await follow(`${cutOff.url}/c/${token}`);
      expect(answer.status).toBe(302);
      expect(answer.headers.get('location')).toBe(ARTICLES[2]?.url);
      expect((await follow(`${cutOff.url}/c/${other}`)).headers.get('location')).toBe(
        'https://example.test/other',
      );
      expect(Date.now() - started).toBeLessThan(2000);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await clicksOf(id)).toEqual([]);

      proxy.accept();
      const rows = await waitForClicks(id, 2);
      expect(rows.map((row) => [row.linkIndex, row.url]).sort()).toEqual([
        [2, ARTICLES[2]?.url],
        [7, 'https://example.test/other'],
      ]);
    } finally {
      await cutOff.stop();
      await proxy.close();
    }
  });
});
