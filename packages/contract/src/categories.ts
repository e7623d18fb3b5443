import { z } from 'zod';
import { CLASSES, KebabKeySchema, type MessageClass } from './common.js';

const NameSchema = z.string().trim().min(1).max(100);
const DescriptionSchema = z.string().trim().min(1).max(500);

/**
 * A language tag as a translation key: a language, optionally a script and a region ("de",
 * "de-AT", "zh-Hant", "es-419"), stored in canonical case ("de-at" is stored as "de-AT").
 * Variants and extensions are refused: the pages look translations up by these parts only.
 */
const TRANSLATION_TAG = /^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?$/i;

const TranslationTagSchema = z
  .string()
  .regex(TRANSLATION_TAG, 'must be a language tag such as "de", "de-AT" or "zh-Hant"')
  .transform((tag) => Intl.getCanonicalLocales(tag)[0] ?? tag);

/**
 * A category's name and description in other languages, by language tag:
 * `{ "de": { "name": "Newsletter", "description": "Einmal im Monat …" } }`. The description is
 * optional (the pages then show the next language's, or the category's own). Replaced whole.
 */
export const CategoryTranslationsSchema = z
  .record(z.string(), z.strictObject({ name: NameSchema, description: DescriptionSchema.optional() }))
  .superRefine((value, context) => {
    const seen = new Set<string>();
    for (const key of Object.keys(value)) {
      const tag = TranslationTagSchema.safeParse(key);
      if (!tag.success) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `"${key}" is not a language tag such as "de", "de-AT" or "zh-Hant"`,
        });
      } else if (seen.has(tag.data)) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `"${key}" repeats the language ${tag.data}`,
        });
      } else {
        seen.add(tag.data);
      }
    }
    if (seen.size > 100) context.addIssue({ code: 'custom', path: [], message: 'at most 100 languages' });
  })
  .transform((value) =>
    Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [Intl.getCanonicalLocales(key)[0] ?? key, entry]),
    ),
  );

export type CategoryTranslations = z.output<typeof CategoryTranslationsSchema>;

export const CreateCategorySchema = z
  .strictObject({
    key: KebabKeySchema,
    name: NameSchema,
    description: DescriptionSchema,
    class: z.enum(CLASSES),
    required: z.boolean().default(false),
    defaultSubscribed: z.boolean().default(true),
    translations: CategoryTranslationsSchema.default({}),
    /**
     * Wrap the links of this category's mail in signed redirects and count the clicks
     * (docs/decisions/022-click-tracking.md). Left out: on for promotional categories, off for
     * transactional ones. A required category's mail is never tracked.
     */
    trackClicks: z.boolean().optional(),
  })
  .refine((value) => !(value.required && value.class === 'promotional'), {
    message: 'only transactional categories can be required',
    path: ['required'],
  })
  .refine((value) => !(value.required && value.trackClicks), {
    message:
      "a required category's mail is never tracked: its links may be sign-in links, and nobody chose it",
    path: ['trackClicks'],
  })
  .transform((value) => ({ ...value, trackClicks: value.trackClicks ?? value.class === 'promotional' }));

/**
 * What may change on an existing category: its wording (`translations` replaces the stored ones
 * whole), whether it is subscribed by default, and whether its clicks are tracked. The class and
 * required flag decide who gets which mail and stay as created.
 */
export const UpdateCategorySchema = z
  .strictObject({
    name: NameSchema.optional(),
    description: DescriptionSchema.optional(),
    translations: CategoryTranslationsSchema.optional(),
    defaultSubscribed: z.boolean().optional(),
    trackClicks: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, {
    message: 'name, description, translations, defaultSubscribed or trackClicks is required',
  });
export type UpdateCategoryInput = z.output<typeof UpdateCategorySchema>;

export interface CategoryView {
  key: string;
  name: string;
  description: string;
  class: MessageClass;
  required: boolean;
  defaultSubscribed: boolean;
  translations: CategoryTranslations;
  trackClicks: boolean;
}
