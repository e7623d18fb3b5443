import { type Db, Prisma } from '@herald/db';
import { addressHashes, effectiveSubscription } from '@herald/preferences';
import type { ImportContext } from './run-import.js';

/** Thrown inside the bulk transaction when a row was applied elsewhere meanwhile: rolls it all back. */
class TakenElsewhere extends Error {}

/** The advisory lock class the chain trigger holds shared and the anchoring job exclusively. */
const EVIDENCE_LOCK_CLASS = 1212503602;

/**
 * The consent-log rows of the new contacts (`created`: line, id, proof), one per category, linked
 * here as the chain trigger would link them (decision 025): a new contact's chain starts at the zero
 * hash, and each of its rows after the first links to the one before, in the order of the
 * categories. One CTE per category, each a step of every contact's chain; each row takes its id and
 * evidence number when its CTE reads it, after its predecessor's, so a chain's numbers rise. The hash
 * is evidence_row_hash_of, the function the trigger's evidence_row_hash calls, over the values the
 * row is inserted with (occurred_at as the column's default makes it).
 */
function consentRows(keys: readonly string[], actor: string): Prisma.Sql {
  if (keys.length === 0) return Prisma.empty;
  const links = keys.map((key, i) => {
    const previous =
      i === 0
        ? Prisma.sql`(SELECT id, proof, decode(repeat('00', 32), 'hex') AS prev_hash FROM created ORDER BY id)`
        : Prisma.sql`(SELECT contact_id AS id, proof, row_hash AS prev_hash FROM ${Prisma.raw(`link${i - 1}`)} ORDER BY contact_id)`;
    return Prisma.sql`,
        ${Prisma.raw(`link${i}`)} AS MATERIALIZED (
          SELECT s.*, evidence_row_hash_of(s.prev_hash, s.evidence_seq, s.id, s.contact_id, ${key}::text,
                   'subscribe', 'import', s.occurred_at, NULL, NULL, ${actor}::text, s.proof,
                   (SELECT evidence_personal_hash(NULL, NULL))) AS row_hash
            FROM (SELECT p.id AS contact_id, p.proof, p.prev_hash, nextval('consent_log_id_seq') AS id,
                         nextval('consent_log_evidence_seq') AS evidence_seq,
                         CURRENT_TIMESTAMP::timestamp(3) AS occurred_at
                    FROM ${previous} p) s)`;
  });
  const selects = keys.map(
    (key, i) => Prisma.sql`
          SELECT id, contact_id, ${key}::text, 'subscribe'::"ConsentAction", 'import'::"ConsentSource",
                 occurred_at, ${actor}::text, proof, evidence_seq, prev_hash,
                 (SELECT evidence_personal_hash(NULL, NULL)), row_hash
            FROM ${Prisma.raw(`link${i}`)}`,
  );
  return Prisma.sql`${Prisma.join(links, '')},
        logged AS (
          INSERT INTO consent_log (id, contact_id, category_key, action, source, occurred_at, actor, reason,
                                   evidence_seq, prev_hash, personal_hash, row_hash)
          ${Prisma.join(selects, ' UNION ALL ')})`;
}

/** What the bulk path needs of a staged row to choose it: the rest it reads where the row is staged. */
export interface StagedAddress {
  line: number;
  email: string;
  status: string;
}

/** A batch of staged rows read for the bulk path, with the address hashes of the rows it may take. */
export interface BulkCandidates {
  lines: number[];
  keyed: string[];
  legacy: string[];
}

/**
 * The rows of a batch the bulk path may take: `subscribed` rows whose address is once in the batch
 * and not among `elsewhere` (the addresses of a batch being applied beside it), with both hashes of
 * each address (the suppression list is looked up by hash, keyed with a key only the processes
 * hold, so they are made here). Whether Herald knows the address is asked when the rows are applied.
 */
export function bulkCandidates(
  batch: readonly StagedAddress[],
  elsewhere?: ReadonlySet<string>,
): BulkCandidates {
  const seen = new Map<string, number>();
  for (const { email } of batch) seen.set(email, (seen.get(email) ?? 0) + 1);
  const candidates: BulkCandidates = { lines: [], keyed: [], legacy: [] };
  for (const { line, email, status } of batch) {
    if (status !== 'subscribed' || seen.get(email) !== 1 || elsewhere?.has(email)) continue;
    const [keyed, legacy] = addressHashes(email);
    candidates.lines.push(line);
    candidates.keyed.push(keyed);
    candidates.legacy.push(legacy);
  }
  return candidates;
}

/**
 * The bulk path of a background import, for the rows most of a big file holds: `subscribed` rows
 * whose address Herald has never seen (no contact, no suppression, not twice in the batch). A new
 * contact has no choice to honour, so such a row only creates the contact, subscribes it and logs
 * the consent with its proof. One statement does it for the whole batch, reading the rows where they
 * are staged (the worker sends their lines and address hashes, not the rows): it leaves out the
 * suppressed addresses, creates the contacts, their preferences and their consent-log rows, deletes
 * the staged rows it applied and counts them on the import; the row-by-row path takes a transaction
 * of about ten statements per row. It writes what applyRow writes for the same row. A row it cannot
 * take (the address turned out to have a contact: `ON CONFLICT DO NOTHING` skips it, as it skips an
 * externalId another contact holds) is left for the row-by-row path, which applies or reports it.
 * Answers the lines it applied.
 */
export async function applyNewAddresses(
  db: Db,
  context: Pick<ImportContext, 'id' | 'actor' | 'basis'>,
  candidates: BulkCandidates,
  categoryKeys: readonly string[],
): Promise<Set<number>> {
  if (candidates.lines.length === 0) return new Set();
  const keys = [...categoryKeys];
  try {
    return await db.$transaction(async (tx) => {
      // The suppressed addresses first, by their hashes: asked in the statement itself, the planner
      // guessed that nearly every row was suppressed and joined what was left by a nested loop.
      const suppressed = await tx.$queryRaw<{ hash: string }[]>`
        SELECT address_hash AS hash FROM suppressions
         WHERE address_hash = ANY(${[...candidates.keyed, ...candidates.legacy]}::text[])`;
      let lines = candidates.lines;
      if (suppressed.length > 0) {
        const hashes = new Set(suppressed.map((row) => row.hash));
        lines = lines.filter(
          (_, i) => !hashes.has(candidates.keyed[i] ?? '') && !hashes.has(candidates.legacy[i] ?? ''),
        );
      }
      if (lines.length === 0) return new Set<number>();
      // The chain's links are made here, not by the trigger row by row (decision 025): the anchoring
      // lock shared as the trigger holds it, then the transaction says it links its own rows, and
      // whether an endpoint wants their consent events (when none does, the webhook trigger is not
      // run for each row to find that out).
      await tx.$executeRaw`
        SELECT pg_advisory_xact_lock_shared(${EVIDENCE_LOCK_CLASS}::int, 0),
               set_config('herald.linked_in_statement', 'on', true),
               set_config('herald.consent_events',
                 CASE WHEN consent_events_wanted() THEN 'wanted' ELSE 'none' END, true)`;
      // Staged rows are found by their lines as an array, which the planner always looks up by the
      // index; joined to a set of lines it could read every row the import staged for each batch.
      // The proof is the text applyRow writes (JSON.stringify of import, basis, consentedAt, source),
      // made from the staged row: to_json quotes a string as JSON does.
      const [applied] = await tx.$queryRaw<{ created: number; lines: number[] | null }[]>`
        WITH input AS (
          SELECT r.line, r.row->>'email' AS email, r.row->>'name' AS name,
                 r.row->>'externalId' AS external_id, r.row->>'locale' AS locale,
                 r.row->>'timezone' AS timezone, coalesce(r.row->'attributes', '{}'::jsonb) AS attributes,
                 '{"import":' || to_json(${context.id}::text)::text
                   || ',"basis":' || to_json(${context.basis}::text)::text
                   || ',"consentedAt":' || coalesce((r.row->'consentedAt')::text, 'null')
                   || ',"source":' || coalesce((r.row->'source')::text, 'null') || '}' AS proof
            FROM import_rows r
           WHERE r.import_id = ${context.id}::uuid AND r.line = ANY(${lines}::int[]) AND NOT r.done),
        inserted AS (
          INSERT INTO contacts (id, email, name, external_id, locale, timezone, attributes,
                                promotional_defaults, updated_at)
          SELECT herald_uuid7(), email, name, external_id, coalesce(locale, 'en'), coalesce(timezone, 'UTC'),
                 attributes, false, now()
            FROM input ORDER BY line
          ON CONFLICT DO NOTHING
          RETURNING id, email),
        created AS (
          SELECT i.line, n.id, i.proof FROM inserted n JOIN input i ON i.email = n.email),
        preferences AS (
          INSERT INTO preferences (contact_id, category_key, subscribed, updated_at)
          SELECT c.id, k, true, now() FROM created c CROSS JOIN unnest(${keys}::text[]) AS k)${consentRows(keys, context.actor)},
        deleted AS (
          DELETE FROM import_rows r
           WHERE r.import_id = ${context.id}::uuid AND r.line = ANY(ARRAY(SELECT line FROM created))
             AND NOT r.done
          RETURNING r.line)
        SELECT (SELECT count(*) FROM created)::int AS created, (SELECT array_agg(line) FROM deleted) AS lines`;
      const done = applied?.lines ?? [];
      if (done.length !== (applied?.created ?? 0)) throw new TakenElsewhere();
      if (done.length === 0) return new Set<number>();
      await tx.$executeRaw`
        UPDATE imports SET created_in_bulk = created_in_bulk + ${done.length}::int,
               subscribed_in_bulk = subscribed_in_bulk + ${keys.length > 0 ? done.length : 0}::int
         WHERE id = ${context.id}::uuid`;
      return new Set(done);
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
