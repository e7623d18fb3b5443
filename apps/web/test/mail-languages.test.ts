import { createPrismaClient, type Db } from '@herald/db';
import {
  startHeraldWithWeb,
  startTestSmtpServer,
  type HeraldWithWeb,
  type TestSmtpServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from './support/fixtures.js';
import { getPage, postForm, textOf } from './support/forms.js';

/**
 * The confirmation mails the web app asks for speak their reader's language, as the pages do: the
 * worker sends the template's translation for the contact's locale, and the list of choices it
 * quotes is in the same language (translated category names, joined as that language joins a
 * list). A new address from a German form page reads German from then on. Against the built API,
 * worker and web app with a real SMTP server.
 */
const run = randomBytes(3).toString('hex');
let installation: HeraldWithWeb;
let catcher: TestSmtpServer;
let db: Db;

beforeAll(async () => {
  catcher = await startTestSmtpServer();
  installation = await startHeraldWithWeb({
    env: { SMTP_URL: catcher.smtpUrl },
    webEnv: { SUBSCRIBE_MIN_FILL_MS: '200' },
  });
  db = createPrismaClient({ databaseUrl: installation.herald.env.DATABASE_URL ?? '', maxConnections: 2 });
}, 120_000);
afterAll(async () => {
  await installation?.stop();
  await catcher?.close();
  await db?.$disconnect();
});

const mailTo = async (email: string) =>
  (await catcher.waitFor((message) => message.envelope.to.includes(email), { timeoutMs: 30_000 })).parse();

describe('confirmation mails in the reader language', () => {
  it('asks a German reader to confirm an opt-in in German, naming the categories in German', async () => {
    const email = `leserin-${run}@example.test`;
    const created = await installation.herald.client.call('POST', '/v1/contacts', { email, locale: 'de-DE' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const optOut = await installation.herald.client.call(
      'PUT',
      `/v1/contacts/${created.body.id}/preferences`,
      {
        changes: ['newsletter', 'product-news', 'promotions'].map((category) => ({
          category,
          subscribed: false,
        })),
        allPromotional: false,
        reason: 'Asked by phone to stop all marketing',
      },
    );
    expect(optOut.status, JSON.stringify(optOut.body)).toBe(200);
    // A newsletter link asking for two other categories and all marketing: a confirmation by mail.
    const token = tokenFor(installation.web, created.body.id);
    const saved = await postForm(`${installation.web.url}/preferences/${token}`, [
      ['form', 'preferences'],
      ['allPromotional', 'on'],
      ...['newsletter', 'product-news', 'promotions'].flatMap((key): [string, string][] => [
        ['shown', key],
        ['category', key],
      ]),
    ]);
    expect(saved.status).toBe(200);
    const mail = await mailTo(email);
    expect(mail.subject).toMatch(/^Bestätigen Sie: .+ und alle Marketing-E-Mails$/);
    expect(mail.subject).toContain('Produktneuigkeiten');
    expect(mail.subject).toContain('Angebote und Aktionen');
    expect(mail.text?.replace(/\s+/g, ' ')).toContain('Nichts ändert sich, bevor Sie bestätigen.');
    expect(mail.text).toContain('E-Mail-Einstellungen verwalten');
    expect(mail.html).toContain('lang="de"');
  });

  it('confirms a subscription in the language the form was filled in, and the new contact keeps it', async () => {
    const form = `news-${run}`;
    const made = await installation.herald.client.call('POST', '/v1/forms', {
      key: form,
      name: `Neuigkeiten ${run}`,
      categories: ['product-news', 'promotions'],
      consentText: 'Ich möchte Produktneuigkeiten und Aktionen per E-Mail erhalten.',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const german = { 'accept-language': 'de-CH,de;q=0.9' };
    const page = await getPage(`${installation.web.url}/subscribe/${form}`, german);
    expect(page.status).toBe(200);
    const stamp = page.html.match(/name="started" value="([^"]+)"/)?.[1] ?? '';
    await new Promise((resolve) => setTimeout(resolve, 400));
    const email = `neu-${run}@example.test`;
    const posted = await postForm(
      `${installation.web.url}/subscribe/${form}`,
      [
        ['started', stamp],
        ['email', email],
        ['website', ''],
      ],
      german,
    );
    expect(posted.status).toBe(200);
    expect(textOf(posted.html)).not.toBe('');
    const mail = await mailTo(email);
    expect(mail.subject).toBe(`Bestätigen Sie Ihr Abonnement: Neuigkeiten ${run}`);
    expect(mail.text?.replace(/\s+/g, ' ')).toContain(
      'um diese E-Mails zu erhalten: Produktneuigkeiten und Angebote und Aktionen.',
    );
    const contact = await db.contact.findUniqueOrThrow({ where: { email } });
    expect(contact.locale).toBe('de-CH');
  });
});
