import { type Db, Prisma } from '@herald/db';
import type { TemplateLocalesView } from '@herald/contract';
import { DEFAULT_TEMPLATE_LOCALE, languageOf } from '@herald/templates';
import { listLatestTemplates, listLatestVariants } from './list-latest-templates.js';

/** How far back the console counts messages that went in the default instead of the reader's language. */
const FALLBACK_WINDOW_DAYS = 30;

/**
 * Which languages each category's templates are written in, against the languages its readers
 * use: a language some contacts read and some template of the category lacks is `missing` (those
 * readers get the default, English). With the fallbacks the worker recorded in the last 30 days.
 */
export async function readTemplateLocales(db: Db): Promise<TemplateLocalesView> {
  const [templates, variants, categories, readers, fallbacks] = await Promise.all([
    listLatestTemplates(db),
    listLatestVariants(db),
    db.category.findMany({ orderBy: { key: 'asc' } }),
    // Contacts who can be mailed, by the language of their locale.
    db.$queryRaw<{ language: string; contacts: number }[]>`
      SELECT lower(split_part(locale, '-', 1)) AS language, count(*)::int AS contacts
        FROM contacts
       WHERE email IS NOT NULL AND erased_at IS NULL
       GROUP BY 1
       ORDER BY 2 DESC, 1`,
    db.$queryRaw<{ template: string; wanted: string; rendered: boolean; messages: number; last_at: Date }[]>(
      Prisma.sql`
      SELECT t.key AS template, e.detail->'localeFallback'->>'wanted' AS wanted,
             e.detail->'localeFallback'->>'reason' <> 'no translation' AS rendered,
             count(*)::int AS messages, max(e.occurred_at) AS last_at
        FROM message_events e
        JOIN messages m ON m.id = e.message_id
        JOIN templates t ON t.id = m.template_id
       WHERE e.type = 'sent' AND e.detail ? 'localeFallback'
         AND e.occurred_at > now() - make_interval(days => ${FALLBACK_WINDOW_DAYS})
       GROUP BY 1, 2, 3
       ORDER BY 4 DESC, 1, 2`,
    ),
  ]);

  return {
    defaultLocale: DEFAULT_TEMPLATE_LOCALE,
    categories: categories
      .map((category) => {
        const own = templates
          .filter((template) => template.categoryKey === category.key)
          .map((template) => ({
            key: template.key,
            version: template.version,
            locales: variants
              .filter((variant) => variant.key === template.key)
              .map((variant) => ({ locale: variant.locale ?? '', version: variant.version })),
          }));
        const languagesOf = (template: (typeof own)[number]) =>
          new Set([DEFAULT_TEMPLATE_LOCALE, ...template.locales.map((entry) => languageOf(entry.locale))]);
        const missing = readers
          .filter((reader) => reader.language !== DEFAULT_TEMPLATE_LOCALE && reader.language !== '')
          .map((reader) => ({
            language: reader.language,
            contacts: reader.contacts,
            templates: own
              .filter((template) => !languagesOf(template).has(reader.language))
              .map((t) => t.key),
          }))
          .filter((entry) => entry.templates.length > 0);
        return {
          key: category.key,
          name: category.name,
          class: category.class,
          required: category.required,
          templates: own,
          missing,
        };
      })
      .filter((category) => category.templates.length > 0),
    readers: readers.map((reader) => ({ language: reader.language, contacts: reader.contacts })),
    fallbacks: {
      days: FALLBACK_WINDOW_DAYS,
      rows: fallbacks.map((row) => ({
        template: row.template,
        wanted: row.wanted,
        reason: row.rendered ? 'translation did not render' : 'no translation',
        messages: row.messages,
        lastAt: row.last_at.toISOString(),
      })),
    },
  };
}
