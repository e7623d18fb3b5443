import { readdirSync, readFileSync } from 'node:fs';
import type { TemplateVariantDefinition } from './template-definition.js';

// src/seed/ under vitest and dist/seed/ when built are both two levels below the package root,
// so one relative URL finds the template folders from either.
const templatesRoot = new URL('../../templates/', import.meta.url);

/** Reads `templates/<key>/subject.hbs` and `templates/<key>/template.mjml`. */
export function readTemplateFiles(key: string): { subject: string; mjml: string } {
  const folder = new URL(`${key}/`, templatesRoot);
  return {
    subject: readFileSync(new URL('subject.hbs', folder), 'utf8').trim(),
    mjml: readFileSync(new URL('template.mjml', folder), 'utf8'),
  };
}

/**
 * The translations of a seed template: each folder of `templates/<key>/` named by a locale
 * ("de", "fr-CA") holds that variant's `subject.hbs` and `template.mjml`.
 */
export function readTemplateVariants(key: string): TemplateVariantDefinition[] {
  const folder = new URL(`${key}/`, templatesRoot);
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((locale) => ({ locale, ...readTemplateFiles(`${key}/${locale}`) }));
}
