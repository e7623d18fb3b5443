import { z } from 'zod';

/** The audience as stored on the campaign: categories resolved, locales lower-cased. */
export const StoredAudienceSchema = z.object({
  categories: z.array(z.string()).min(1),
  locales: z.array(z.string()).optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type StoredAudience = z.output<typeof StoredAudienceSchema>;

/** What the SQL needs: categories split by default, locales split into whole tags and languages. */
export interface ResolvedAudience {
  /** Subscribed unless the contact said no. */
  defaultInCategories: string[];
  /** Subscribed only if the contact said yes. */
  defaultOutCategories: string[];
  localeTags: string[];
  languages: string[];
  attributes: Record<string, unknown> | null;
}

export function resolveAudience(
  audience: StoredAudience,
  categories: { key: string; defaultSubscribed: boolean }[],
): ResolvedAudience {
  const byKey = new Map(categories.map((c) => [c.key, c]));
  const listed = audience.categories.map((key) => {
    const category = byKey.get(key);
    if (!category) throw new Error(`audience category "${key}" does not exist`);
    return category;
  });
  const locales = (audience.locales ?? []).map((l) => l.toLowerCase());
  const attributes = audience.attributes ?? {};
  return {
    defaultInCategories: listed.filter((c) => c.defaultSubscribed).map((c) => c.key),
    defaultOutCategories: listed.filter((c) => !c.defaultSubscribed).map((c) => c.key),
    localeTags: locales.filter((l) => l.includes('-')),
    languages: locales.filter((l) => !l.includes('-')),
    attributes: Object.keys(attributes).length > 0 ? attributes : null,
  };
}
