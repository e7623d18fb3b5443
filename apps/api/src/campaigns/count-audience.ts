import { type Db, Prisma } from '@herald/db';
import type { ResolvedAudience } from './audience.js';
import { audienceConditions } from './audience-conditions.js';

/**
 * The audience's size now, with the same SQL the fan-out uses: `size` contacts would be targeted;
 * `matching` pass the filters (address, locale, attributes) and `excluded` of them are left out by
 * consent (opted out) or by the suppression list.
 */
export async function countAudience(db: Db, audience: ResolvedAudience) {
  const { matches, consents } = audienceConditions(audience);
  const [row] = await db.$queryRaw<{ matching: number; size: number }[]>(Prisma.sql`
    SELECT count(*)::int AS matching, count(*) FILTER (WHERE ${consents})::int AS size
      FROM contacts c WHERE ${matches}`);
  const matching = row?.matching ?? 0;
  const size = row?.size ?? 0;
  return { size, matching, excluded: matching - size };
}
