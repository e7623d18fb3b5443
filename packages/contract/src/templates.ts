import { z } from 'zod';
import { KebabKeySchema, LocaleSchema, type MessageClass } from './common.js';
import { TemplateDataSchema } from './template-data.js';

/** A BCP 47 tag as canonical ("de-at" → "de-AT"), so one locale is one variant. */
export const TemplateLocaleSchema = LocaleSchema.transform(
  (value) => Intl.getCanonicalLocales(value)[0] ?? value,
);

export const SaveTemplateSchema = z.strictObject({
  key: KebabKeySchema,
  category: KebabKeySchema,
  subject: z.string().trim().min(1).max(300),
  mjml: z.string().min(1).max(200_000),
  /** Sample data that renders; generated from the template's variables when left out. */
  fixture: TemplateDataSchema.optional(),
  /**
   * Adds or versions the translation for this locale ("de", "fr-CA") instead of the default. The
   * default must exist; a translation uses only the default's variables and is sent to contacts
   * whose locale (or its language) it names.
   */
  locale: TemplateLocaleSchema.optional(),
});
export type SaveTemplateInput = z.output<typeof SaveTemplateSchema>;

export const PreviewTemplateSchema = z.strictObject({
  data: TemplateDataSchema.optional(),
  /** Previews this translation (the one a contact of this locale gets); the default when left out. */
  locale: TemplateLocaleSchema.optional(),
});

export interface TemplateView {
  key: string;
  category: string;
  class: MessageClass;
  required: boolean;
  version: number;
  /** The translation this view is of; null for the default. */
  locale: string | null;
  subject: string;
  variables: unknown;
  fixture: unknown;
  createdAt: string;
  /** The translations the template has, each with its latest version (on a default's view). */
  locales?: { locale: string; version: number; createdAt: string }[];
}

/** A template or campaign email rendered for one recipient. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** GET /v1/template-locales: the languages templates are written in, against those their readers use. */
export interface TemplateLocalesView {
  /** The language of every template's default variant. */
  defaultLocale: string;
  categories: {
    key: string;
    name: string;
    class: MessageClass;
    required: boolean;
    templates: { key: string; version: number; locales: { locale: string; version: number }[] }[];
    /** Languages contacts read that some of the category's templates lack (those readers get the default). */
    missing: { language: string; contacts: number; templates: string[] }[];
  }[];
  /** Contacts who can be mailed, by language. */
  readers: { language: string; contacts: number }[];
  /** Messages sent in the default language instead of the reader's, over the last `days` days. */
  fallbacks: {
    days: number;
    rows: { template: string; wanted: string; reason: string; messages: number; lastAt: string }[];
  };
}
