import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import {
  SYSTEM_VARIABLES,
  createTemplateRenderer,
  seedCategories,
  seedTemplates,
  validateTemplateSource,
} from '../src/index.js';
import { sourceOf, system } from './helpers.js';

const renderer = createTemplateRenderer();

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

describe('seed templates', () => {
  it('covers every seed key, each in a seeded category', () => {
    expect(seedTemplates.map((template) => template.key)).toEqual([
      'service-notice',
      'security-sign-in',
      'policy-update',
      'collaboration-invite',
      'newsletter',
      'consent-confirmation',
      'console-invitation',
      'subscription-confirm',
      'webhook-endpoint-disabled',
    ]);
    const categoryKeys = seedCategories.map((category) => category.key);
    for (const template of seedTemplates) expect(categoryKeys).toContain(template.categoryKey);
  });

  describe.each(seedTemplates.map((template) => [template.key, template] as const))(
    '%s',
    (_key, template) => {
      it('renders its fixture with the system variables', async () => {
        const compiled = await renderer.compile(sourceOf(template));
        const message = renderer.render(compiled, { ...template.fixture, ...system });

        for (const value of stringsIn(template.fixture)) {
          expect(message.html).toContain(Handlebars.escapeExpression(value));
          expect(message.text).toContain(value);
        }
        expect(message.html).toMatch(/^<!doctype html>/i);
        expect(message.html).toContain('lang="en"');
        expect(message.html).not.toContain('{{');
        expect(message.text).not.toContain('{{');
        expect(message.subject).not.toMatch(/\{\{|^\s*$|\n/);
        expect(message.text).toContain(system.preferencesUrl);
      });

      it('puts every fixture link in the text part', async () => {
        const compiled = await renderer.compile(sourceOf(template));
        const message = renderer.render(compiled, { ...template.fixture, ...system });
        const links = stringsIn(template.fixture).filter((value) => value.startsWith('https://'));
        expect(links.length).toBeGreaterThan(0);
        for (const link of links) expect(message.text).toContain(`[${link}]`);
      });

      it('fills its subject from the fixture', async () => {
        const compiled = await renderer.compile(sourceOf(template));
        const { subject } = renderer.render(compiled, { ...template.fixture, ...system });
        const expected = Handlebars.compile(template.subject, { noEscape: true })(template.fixture);
        expect(subject).toBe(expected);
      });

      it('validates on save and reports the same variables the schema defines', async () => {
        const { class: templateClass, required } = sourceOf(template);
        const result = await validateTemplateSource({
          subject: template.subject,
          mjml: template.mjml,
          class: templateClass,
          required,
        });
        expect(result).toMatchObject({ ok: true });
        const variables = result.ok ? result.variables : [];
        const schemaKeys = Object.keys((template.schema as unknown as { shape: object }).shape);
        for (const variable of variables) expect(schemaKeys).toContain(variable.split('.')[0]);
      });

      it('keeps system variables out of its data schema', () => {
        const schemaKeys = Object.keys((template.schema as unknown as { shape: object }).shape);
        for (const reserved of SYSTEM_VARIABLES) expect(schemaKeys).not.toContain(reserved);
      });
    },
  );

  it('gives an image alt text from the data', async () => {
    const template = seedTemplates.find((candidate) => candidate.key === 'newsletter');
    if (template === undefined) throw new Error('newsletter missing');
    const compiled = await renderer.compile(sourceOf(template));
    const hero = {
      url: 'https://example.com/images/november.png',
      alt: 'Three product screenshots side by side',
    };
    const { html } = renderer.render(compiled, { ...template.fixture, hero, ...system });
    expect(html).toMatch(/<img[^>]+alt="Three product screenshots side by side"/);
    const withoutHero = renderer.render(compiled, { ...template.fixture, ...system });
    expect(withoutHero.html).not.toContain('<img');
  });
});

describe('seed categories', () => {
  it('has the standard categories with their classes', () => {
    const byKey = Object.fromEntries(seedCategories.map((category) => [category.key, category]));
    expect(byKey.security).toMatchObject({ class: 'transactional', required: true });
    expect(byKey['policy-updates']).toMatchObject({ class: 'transactional', required: true });
    expect(byKey['service-notices']).toMatchObject({ class: 'transactional', required: false });
    expect(byKey['collaboration-invites']).toMatchObject({ class: 'transactional', required: false });
    for (const key of ['newsletter', 'product-news', 'promotions']) {
      expect(byKey[key]).toMatchObject({ class: 'promotional', required: false });
    }
    for (const category of seedCategories) {
      expect(category.key).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(category.name.length).toBeGreaterThan(0);
      expect(category.description.length).toBeGreaterThan(0);
    }
  });
});
