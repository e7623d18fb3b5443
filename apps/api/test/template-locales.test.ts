import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

const NEWSLETTER = {
  headline: 'Neuigkeiten im Frühling',
  intro: 'Was sich diesen Monat geändert hat.',
  articles: [{ title: 'Schneller senden', summary: 'Wir senden schneller.', url: 'https://example.com/a' }],
};
const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };
const MJML = (body: string) =>
  `<mjml><mj-body><mj-section><mj-column><mj-text>${body}</mj-text></mj-column></mj-section></mj-body></mjml>`;

let h: Harness;
beforeAll(async () => {
  // Announcing reaches every contact in the database: this file's own (see vitest.config.ts).
  h = await startHarness({ worker: true });
}, 60_000);
afterAll(async () => h?.close());

async function subscriber(locale: string | undefined, label: string): Promise<string> {
  const created = await h.request('POST', '/v1/contacts', {
    email: uniqueEmail(label),
    name: 'Reader',
    ...(locale && { locale }),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function send(template: string, contactId: string, data: object) {
  const response = await h.request('POST', '/v1/messages', { template, to: { contactId }, data });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  const id = response.body.id as string;
  const caught = await h.catcher.waitFor((m) => m.heraldMessageId === id);
  const message = await waitForStatus(h, id);
  const sent = message.events.find((event: { type: string }) => event.type === 'sent');
  return { id, mail: await caught.parse(), message, sent };
}

describe('template translations through the API', () => {
  const key = `welcome-${Date.now().toString(36)}`;

  it('adds a translation only to a template that has a default, in the same category', async () => {
    const orphan = await h.request('POST', '/v1/templates', {
      key,
      category: 'service-notices',
      subject: 'Hallo',
      mjml: MJML('Hallo {{name}}'),
      locale: 'de',
    });
    expect(orphan.status).toBe(422);
    expect(orphan.body.error).toMatchObject({ code: 'unknown_template' });
    expect(orphan.body.error.message).toContain('save it without "locale" first');
    expect(await h.db.template.count({ where: { key } })).toBe(0);

    const base = await h.request('POST', '/v1/templates', {
      key,
      category: 'service-notices',
      subject: 'Hello {{name}}',
      mjml: MJML('Hello {{name}}, your {{thing}} is ready.'),
    });
    expect(base.status, JSON.stringify(base.body)).toBe(201);
    const moved = await h.request('POST', '/v1/templates', {
      key,
      category: 'security',
      subject: 'Hallo',
      mjml: MJML('Hallo'),
      locale: 'de',
    });
    expect(moved.status).toBe(422);
    expect(moved.body.error.code).toBe('category_mismatch');
  });

  it('refuses a bad locale and a translation that needs data the default does not get', async () => {
    const badLocale = await h.request('POST', '/v1/templates', {
      key,
      category: 'service-notices',
      subject: 'Hallo',
      mjml: MJML('Hallo'),
      locale: 'not a locale',
    });
    expect(badLocale.status).toBe(400);
    expect(badLocale.body.error.message).toMatch(/locale: must be a BCP 47 language tag/);

    const extra = await h.request('POST', '/v1/templates', {
      key,
      category: 'service-notices',
      subject: 'Hallo {{name}}',
      mjml: MJML('Hallo {{name}}, dein {{thing}} ist fertig. Code: {{code}}'),
      locale: 'de',
    });
    expect(extra.status).toBe(422);
    expect(extra.body.error).toMatchObject({ code: 'variant_variables', details: { added: ['code'] } });
    expect(await h.db.template.count({ where: { key, locale: { not: null } } })).toBe(0);
  });

  it('versions each translation under the key, canonicalises its locale and lists it on the default', async () => {
    const de = await h.request('POST', '/v1/templates', {
      key,
      category: 'service-notices',
      subject: 'Hallo {{name}}',
      mjml: MJML('Hallo {{name}}, dein {{thing}} ist fertig.'),
      locale: 'de-at',
    });
    expect(de.status, JSON.stringify(de.body)).toBe(201);
    expect(de.body).toMatchObject({ key, version: 2, locale: 'de-AT', variables: ['thing'] });
    // The translation takes the default's sample data.
    expect(de.body.fixture).toEqual({ thing: 'Sample thing' });

    const read = await h.request('GET', `/v1/templates/${key}`);
    expect(read.body).toMatchObject({ version: 1, locale: null, subject: 'Hello {{name}}' });
    expect(read.body.locales).toEqual([{ locale: 'de-AT', version: 2, createdAt: expect.any(String) }]);
    const list = await h.request('GET', '/v1/templates');
    const listed = list.body.templates.find((template: { key: string }) => template.key === key);
    expect(listed.locales.map((entry: { locale: string }) => entry.locale)).toEqual(['de-AT']);

    const translation = await h.request('GET', `/v1/templates/${key}?locale=de-AT`);
    expect(translation.body).toMatchObject({ locale: 'de-AT', subject: 'Hallo {{name}}' });
    const missing = await h.request('GET', `/v1/templates/${key}?locale=fr`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('has no "fr" translation');

    const preview = await h.request('POST', `/v1/templates/${key}/preview`, { locale: 'de-AT' });
    expect(preview.status).toBe(200);
    expect(preview.body.html).toContain('dein Sample thing ist fertig');
    // The compliance footer is written in the translation's language.
    expect(preview.body.html).toContain('Diese Art von E-Mails abbestellen');
  });
});

describe('the worker sends each reader their language', () => {
  it('sends the German newsletter to a German reader and to an Austrian one', async () => {
    for (const locale of ['de', 'de-AT']) {
      const contactId = await subscriber(locale, `leser-${locale}`);
      const { mail, sent } = await send('newsletter', contactId, NEWSLETTER);
      expect(mail.html).toContain('Weiterlesen');
      expect(mail.html).not.toContain('Read more');
      expect(mail.html).toContain('Abbestellen');
      expect(mail.html).toContain('lang="de"');
      expect(sent.detail).toMatchObject({ locale: 'de' });
      expect(sent.detail.localeFallback).toBeUndefined();
    }
  });

  it('sends the default to a reader whose language has no translation, and reports the fallback', async () => {
    const contactId = await subscriber('sw-KE', 'msomaji');
    const { mail, sent, message } = await send('newsletter', contactId, NEWSLETTER);
    expect(message.status).toBe('sent');
    expect(mail.html).toContain('Read more');
    expect(sent.detail).toMatchObject({
      locale: null,
      localeFallback: { wanted: 'sw-KE', reason: 'no translation' },
    });

    // An English reader is no fallback: the default is their language.
    const english = await send('newsletter', await subscriber('en-GB', 'reader'), NEWSLETTER);
    expect(english.sent.detail).toEqual({ response: expect.any(String), locale: null });
  });

  it('never lets a broken translation stop a required message: the default goes and the fallback is reported', async () => {
    const key = `sign-in-${Date.now().toString(36)}`;
    const base = await h.request('POST', '/v1/templates', {
      key,
      category: 'security',
      subject: 'Sign in',
      mjml: MJML('Sign in: <a href="{{signInUrl}}">link</a>, valid {{expiresInMinutes}} minutes.'),
    });
    expect(base.status, JSON.stringify(base.body)).toBe(201);
    // Valid on save, but it walks a number as a list: it cannot render with the data callers send.
    const broken = await h.request('POST', '/v1/templates', {
      key,
      category: 'security',
      subject: 'Connexion',
      mjml: MJML(
        'Connexion : <a href="{{signInUrl}}">lien</a>.{{#each expiresInMinutes}}{{this}}{{/each}} minutes.',
      ),
      locale: 'fr',
      fixture: { signInUrl: 'https://app.example.com/x', expiresInMinutes: [15] },
    });
    expect(broken.status, JSON.stringify(broken.body)).toBe(201);

    const contactId = await subscriber('fr-CA', 'lecteur');
    const { mail, sent, message } = await send(key, contactId, SIGN_IN);
    expect(message.status).toBe('sent');
    expect(mail.subject).toBe('Sign in');
    expect(sent.detail).toMatchObject({
      locale: null,
      localeFallback: { wanted: 'fr', reason: expect.stringContaining('translation did not render') },
    });
  });

  it('announces a policy change in each reader language', async () => {
    const readers = {
      de: await subscriber('de-DE', 'policy-de'),
      fr: await subscriber('fr-CA', 'policy-fr'),
      ja: await subscriber('ja', 'policy-ja'),
      en: await subscriber('en-US', 'policy-en'),
    };
    const created = await h.request('POST', '/v1/policies', {
      version: `2027-locales-${Date.now().toString(36)}`,
      title: 'Privacy Policy',
      summary: 'We now keep support conversations for 12 months instead of 24.',
      url: 'https://example.com/legal/privacy/2027',
      effectiveAt: new Date(Date.now() + 40 * 24 * 3600 * 1000).toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const announced = await h.request('POST', `/v1/policies/${created.body.id}/announce`, {});
    expect(announced.status).toBe(202);

    const subjects: Record<string, string> = {};
    for (const [language, contactId] of Object.entries(readers)) {
      const notice = await waitForNoticeEmail(contactId, created.body.id);
      const caught = await h.catcher.waitFor((m) => m.heraldMessageId === notice);
      subjects[language] = (await caught.parse()).subject ?? '';
    }
    expect(subjects.de).toMatch(/^Privacy Policy: Änderungen ab /);
    expect(subjects.fr).toMatch(/^Privacy Policy : modifications en vigueur le /);
    expect(subjects.ja).toMatch(/^Privacy Policyの変更について/);
    expect(subjects.en).toMatch(/^Changes to our Privacy Policy, effective /);
  });
});

describe('the languages templates cover', () => {
  it('names the languages readers use that templates lack, and counts the fallbacks', async () => {
    const { status, body } = await h.request('GET', '/v1/template-locales');
    expect(status).toBe(200);
    expect(body.defaultLocale).toBe('en');
    const newsletter = body.categories.find((category: { key: string }) => category.key === 'newsletter');
    const template = newsletter.templates.find((t: { key: string }) => t.key === 'newsletter');
    expect(template.locales.map((entry: { locale: string }) => entry.locale)).toEqual([
      'de',
      'es',
      'fr',
      'ja',
    ]);
    // The Swahili reader above gets English newsletters: warned, with how many read it.
    expect(newsletter.missing).toEqual([{ language: 'sw', contacts: 1, templates: ['newsletter'] }]);
    // German readers are covered; English ones need no translation.
    expect(body.readers).toEqual(expect.arrayContaining([expect.objectContaining({ language: 'de' })]));

    const security = body.categories.find((category: { key: string }) => category.key === 'security');
    expect(security.missing).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ language: 'de', templates: expect.arrayContaining(['security-sign-in']) }),
      ]),
    );
    expect(body.fallbacks.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          template: 'newsletter',
          wanted: 'sw-KE',
          reason: 'no translation',
          messages: 1,
        }),
        expect.objectContaining({ wanted: 'fr', reason: 'translation did not render', messages: 1 }),
      ]),
    );
  });
});

async function waitForNoticeEmail(contactId: string, policyId: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const notices = await h.request('GET', `/v1/contacts/${contactId}/notices`);
    const notice = notices.body.notices?.find((n: any) => n.policy.id === policyId);
    if (notice?.email?.messageId && notice.email.status === 'sent') return notice.email.messageId as string;
    if (Date.now() > deadline)
      throw new Error(`no policy email sent to ${contactId}: ${JSON.stringify(notice)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
