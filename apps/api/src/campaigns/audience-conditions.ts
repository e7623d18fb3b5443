import { Prisma } from '@herald/db';
import { addressHashMatchSql } from '@herald/preferences';
import type { ResolvedAudience } from './audience.js';

/**
 * The filters a contact row (alias `c`) must pass to be targeted, evaluated in SQL so the fan-out
 * never loads anyone it would leave out. Split in two so the audience preview can say how many the
 * consent rules exclude:
 * - `matches`: has an address, not erased, and passes the locale and attribute filters;
 * - `consents`: subscribed to every audience category, not opted out of all promotional mail, and
 *   the address is not suppressed (hard bounce, complaint, erasure: every reason blocks promotional).
 *   A category's default counts only for a contact whose promotional defaults apply: one created by
 *   a send (promotional_defaults false) must have subscribed to each category itself.
 * The worker still decides every message again at send time.
 */
export function audienceConditions(audience: ResolvedAudience): {
  matches: Prisma.Sql;
  consents: Prisma.Sql;
} {
  const matches: Prisma.Sql[] = [Prisma.sql`c.email IS NOT NULL AND c.erased_at IS NULL`];
  if (audience.localeTags.length + audience.languages.length > 0) {
    matches.push(Prisma.sql`(lower(c.locale) = ANY(${audience.localeTags}::text[])
      OR split_part(lower(c.locale), '-', 1) = ANY(${audience.languages}::text[]))`);
  }
  if (audience.attributes) {
    matches.push(Prisma.sql`c.attributes @> ${JSON.stringify(audience.attributes)}::jsonb`);
  }

  const consents: Prisma.Sql[] = [Prisma.sql`NOT c.promotional_opt_out`];
  if (audience.defaultInCategories.length > 0) {
    consents.push(Prisma.sql`CASE WHEN c.promotional_defaults THEN NOT EXISTS (
      SELECT 1 FROM preferences p
       WHERE p.contact_id = c.id AND p.category_key = ANY(${audience.defaultInCategories}::text[])
         AND NOT p.subscribed)
      ELSE (SELECT count(*) FROM preferences p
             WHERE p.contact_id = c.id AND p.category_key = ANY(${audience.defaultInCategories}::text[])
               AND p.subscribed) = ${audience.defaultInCategories.length} END`);
  }
  if (audience.defaultOutCategories.length > 0) {
    consents.push(Prisma.sql`(
      SELECT count(*) FROM preferences p
       WHERE p.contact_id = c.id AND p.category_key = ANY(${audience.defaultOutCategories}::text[])
         AND p.subscribed) = ${audience.defaultOutCategories.length}`);
  }
  // The suppression list is keyed by the address's keyed hash, or its legacy one (@herald/preferences).
  consents.push(Prisma.sql`NOT EXISTS (
    SELECT 1 FROM suppressions s
     WHERE ${addressHashMatchSql(Prisma.sql`s.address_hash`, Prisma.sql`c.email`)})`);

  return { matches: Prisma.join(matches, ' AND '), consents: Prisma.join(consents, ' AND ') };
}
