import type { ImportRow } from '@herald/contract';
import type { Db } from '@herald/db';
import { addressHashes, effectiveSubscription } from '@herald/preferences';
import type { ImportContext } from './run-import.js';

/** Thrown inside the bulk transaction when a row was applied elsewhere meanwhile: rolls it all back. */
class TakenElsewhere extends Error {}

/**
 * The bulk path of a background import, for the rows most of a big file holds: `subscribed` rows
 * whose address Herald has never seen (no contact, no suppression, not twice in the batch). A new
 * contact has no choice to honour, so such a row only creates the contact, subscribes it and logs
 * the consent with its proof; done for the whole batch in one transaction of a few set-based
 * statements (the contacts, their preferences, their consent-log rows, and the rows marked done),
 * where the row-by-row path takes a transaction of about ten statements per row. It writes what
 * applyRow writes for the same row. A row it cannot take (the address turned out to have a contact:
 * `ON CONFLICT DO NOTHING` skips it, as it skips an externalId another contact holds) is left for
 * the row-by-row path, which applies or reports it. Answers the lines it applied.
 */
export async function applyNewAddresses(
  db: Db,
  context: ImportContext,
  batch: { line: number; row: ImportRow }[],
  categoryKeys: readonly string[],
): Promise<Set<number>> {
  const seen = new Map<string, number>();
  for (const { row } of batch) seen.set(row.email, (seen.get(row.email) ?? 0) + 1);
  let candidates = batch.filter(({ row }) => row.status === 'subscribed' && seen.get(row.email) === 1);
  if (candidates.length === 0) return new Set();
  const suppressed = await db.suppression.findMany({
    where: { addressHash: { in: candidates.flatMap(({ row }) => addressHashes(row.email)) } },
    select: { addressHash: true },
  });
  if (suppressed.length > 0) {
    const hashes = new Set(suppressed.map((suppression) => suppression.addressHash));
    candidates = candidates.filter(({ row }) => !addressHashes(row.email).some((hash) => hashes.has(hash)));
  }
  if (candidates.length === 0) return new Set();

  const input = candidates.map(({ line, row }) => ({
    line,
    email: row.email,
    name: row.name ?? null,
    external_id: row.externalId ?? null,
    locale: row.locale ?? null,
    timezone: row.timezone ?? null,
    attributes: row.attributes ?? {},
    proof: JSON.stringify({
      import: context.id,
      basis: context.basis,
      consentedAt: row.consentedAt ?? null,
      source: row.source ?? null,
    }),
  }));
  try {
    return await db.$transaction(async (tx) => {
      const created = await tx.$queryRaw<{ line: number; id: string; proof: string }[]>`
        WITH input AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
            AS r(line int, email text, name text, external_id text, locale text, timezone text,
                 attributes jsonb, proof text)),
        inserted AS (
          INSERT INTO contacts (id, email, name, external_id, locale, timezone, attributes,
                                promotional_defaults, updated_at)
          SELECT herald_uuid7(), email, name, external_id, coalesce(locale, 'en'), coalesce(timezone, 'UTC'),
                 attributes, false, now()
            FROM input ORDER BY line
          ON CONFLICT DO NOTHING
          RETURNING id, email)
        SELECT i.line, n.id::text AS id, i.proof FROM inserted n JOIN input i ON i.email = n.email`;
      if (created.length === 0) return new Set<number>();
      const ids = created.map((row) => row.id);
      if (categoryKeys.length > 0) {
        await tx.$executeRaw`
          INSERT INTO preferences (contact_id, category_key, subscribed, updated_at)
          SELECT c, k, true, now() FROM unnest(${ids}::uuid[]) AS c CROSS JOIN unnest(${categoryKeys}::text[]) AS k`;
        await tx.$executeRaw`
          INSERT INTO consent_log (contact_id, category_key, action, source, actor, reason)
          SELECT c.id, k, 'subscribe', 'import', ${context.actor}, c.proof
            FROM unnest(${ids}::uuid[], ${created.map((row) => row.proof)}::text[]) AS c(id, proof)
           CROSS JOIN unnest(${categoryKeys}::text[]) WITH ORDINALITY AS k(k, n)
           ORDER BY c.id, k.n`;
      }
      const lines = created.map((row) => row.line);
      const marked = await tx.$executeRaw`
        UPDATE import_rows SET done = true, contact = 'created',
               outcome = ${categoryKeys.length > 0 ? 'subscribed' : null}
         WHERE import_id = ${context.id}::uuid AND line = ANY(${lines}::int[]) AND NOT done`;
      if (marked !== lines.length) throw new TakenElsewhere();
      return new Set(lines);
    });
  } catch (error) {
    if (error instanceof TakenElsewhere) return new Set();
    throw error;
  }
}

/**
 * The import's categories a new contact's subscription changes: the ones it would not receive
 * already (a required category it always receives; applyRow logs no change for it either).
 */
export async function categoriesToSubscribe(db: Db, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const categories = await db.category.findMany({
    where: { key: { in: [...keys] } },
    select: { key: true, class: true, required: true, defaultSubscribed: true },
  });
  const byKey = new Map(categories.map((category) => [category.key, category]));
  return keys.filter((key) => {
    const category = byKey.get(key);
    return (
      category !== undefined && !effectiveSubscription(category, undefined, { promotionalDefaults: false })
    );
  });
}
