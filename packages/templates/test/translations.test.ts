import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import {
  createTemplateRenderer,
  directionOf,
  footerFor,
  footerLocales,
  localeChain,
  pickLocale,
  seedTemplates,
  validateTemplateSource,
} from '../src/index.js';
import { footerMessages } from '../src/locales/footer-messages.js';
import { mjmlWith, system } from './helpers.js';

const renderer = createTemplateRenderer();

async function renderFooter(
  locale: string | null,
  options = { class: 'promotional', required: false } as const,
) {
  const compiled = await renderer.compile({
    id: `footer-${locale}-${options.class}-${options.required}`,
    subject: 'Footer',
    mjml: mjmlWith('<mj-text>Body</mj-text>'),
    ...options,
    locale,
  });
  return renderer.render(compiled, { ...system });
}

describe('locale chains', () => {
  it('tries the locale, then its shorter forms, canonicalised', () => {
    expect(localeChain('de-at')).toEqual(['de-AT', 'de']);
    expect(localeChain('zh-Hant-TW')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh']);
    expect(localeChain('not a tag')).toEqual([]);
    expect(localeChain(null)).toEqual([]);
  });

  it('picks the exact locale, else its language, else nothing', () => {
    const available = ['de', 'fr-CA', 'fr'];
    expect(pickLocale(available, 'de-AT')).toBe('de');
    expect(pickLocale(available, 'fr-ca')).toBe('fr-CA');
    expect(pickLocale(available, 'fr-BE')).toBe('fr');
    expect(pickLocale(available, 'sw')).toBeNull();
  });

  it('knows right-to-left languages', () => {
    expect(directionOf('ar-EG')).toBe('rtl');
    expect(directionOf('de')).toBe('ltr');
  });
});

describe('the compliance footer in the reader language', () => {
  it('has every English message in every language, each valid ICU with the same arguments', () => {
    const english = footerMessages.en!;
    const argumentsOf = (message: string) =>
      [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const locale of footerLocales) {
      const messages = footerMessages[locale]!;
      expect(Object.keys(messages).sort(), locale).toEqual(Object.keys(english).sort());
      for (const [key, message] of Object.entries(messages)) {
        expect(() => new IntlMessageFormat(message, locale), `${locale}.${key}`).not.toThrow();
        expect(argumentsOf(message), `${locale}.${key}`).toEqual(
          argumentsOf(english[key as keyof typeof english]),
        );
        if (locale !== 'en')
          expect(message, `${locale}.${key} is translated`).not.toBe(english[key as keyof typeof english]);
      }
    }
  });

  it('writes a German footer for a German variant, with working links', async () => {
    const message = await renderFooter('de');
    expect(message.html).toMatch(/<a href="https:\/\/example.com\/u\/preview-token"[^>]*>Abbestellen<\/a>/);
    expect(message.html).toContain('E-Mail-Einstellungen verwalten');
    expect(message.html).toContain(`Diese E-Mail wurde an ${system.email} gesendet.`);
    expect(message.html).not.toContain('You are receiving this');
    expect(message.html).toContain(system.postalAddress);
  });

  it('uses the language of a regional variant and English for a language it lacks', async () => {
    expect((await renderFooter('fr-CA')).html).toContain('Se désabonner');
    expect((await renderFooter('sw')).html).toContain('Manage your email preferences');
    expect((await renderFooter(null)).html).toContain('Manage your email preferences');
  });

  it('lays out an Arabic footer right to left', async () => {
    expect(footerFor({ class: 'transactional', required: true, locale: 'ar' })).toContain('<div dir="rtl">');
    expect(footerFor({ class: 'transactional', required: true, locale: 'en' })).not.toContain('dir="rtl"');
    const message = await renderFooter('ar', { class: 'transactional', required: true } as never);
    expect(message.html).toContain('إدارة تفضيلات البريد الإلكتروني');
    expect(message.html).not.toContain(system.unsubscribeUrl);
  });
});

describe('seed translations', () => {
  const translated = seedTemplates.filter((template) => template.variants.length > 0);

  it('translates the policy announcement and the newsletter', () => {
    const locales = (key: string) => seedTemplates.find((t) => t.key === key)?.variants.map((v) => v.locale);
    expect(locales('policy-update')).toEqual(expect.arrayContaining(['de', 'es', 'fr', 'ja']));
    expect(locales('newsletter')).toEqual(expect.arrayContaining(['de', 'fr']));
  });

  it.each(
    translated.flatMap((template) => template.variants.map((variant) => [template.key, variant.locale])),
  )('%s (%s) is valid, in its language, and takes exactly the default data', async (key, locale) => {
    const template = seedTemplates.find((candidate) => candidate.key === key)!;
    const variant = template.variants.find((candidate) => candidate.locale === locale)!;
    const category = { class: 'promotional', required: false } as const;
    const base = await validateTemplateSource({ ...template, ...category });
    const own = await validateTemplateSource({ ...variant, ...category, locale });
    expect(own.ok && base.ok).toBe(true);
    if (!own.ok || !base.ok) return;
    expect([...own.variables].sort()).toEqual([...base.variables].sort());
    expect(variant.mjml).toContain(`<mjml lang="${locale}"`);
    expect(variant.mjml).not.toBe(template.mjml.replace('lang="en"', `lang="${locale}"`));
    // The seed's own data renders the translation (the worker sends it with the default's data).
    const compiled = await renderer.compile({
      id: `${key}-${locale}`,
      ...variant,
      ...category,
      locale,
      schema: template.schema,
    });
    expect(() => renderer.render(compiled, { ...template.fixture, ...system })).not.toThrow();
  });
});
