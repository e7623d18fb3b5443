import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DbClient } from './db-client.js';
import { addressHashes, normalizeAddress } from './hash-address.js';
import { parseInput } from './parse-input.js';

export type FeedbackKind = 'hard-bounce' | 'soft-bounce' | 'blocked' | 'complaint' | 'delivery' | 'unparsed';
export type FeedbackChannel = 'inbound-smtp' | 'ses' | 'sendgrid' | 'postmark' | 'mailgun' | 'api';
export type FeedbackEffect =
  | 'suppressed'
  | 'soft-bounce-counted'
  | 'soft-bounce-limit'
  | 'bounced'
  | 'recorded'
  | 'none'
  | 'duplicate';

const FeedbackInputSchema = z.object({
  channel: z.enum(['inbound-smtp', 'ses', 'sendgrid', 'postmark', 'mailgun', 'api']),
  kind: z.enum(['hard-bounce', 'soft-bounce', 'blocked', 'complaint', 'delivery', 'unparsed']),
  messageId: z.string().nullish(),
  email: z.string().max(320).nullish(),
  status: z.string().nullish(),
  detail: z.string().nullish(),
  providerEventId: z.string().max(300).nullish(),
});
export type FeedbackInput = z.input<typeof FeedbackInputSchema>;
const FeedbackInputsSchema = z.array(FeedbackInputSchema).max(10_000);
const OptionsSchema = z.object({ softBounceLimit: z.number().int().min(1) });

export interface FeedbackResult {
  /** The feedback_reports row (for a duplicate: the row of the first delivery of the event). */
  reportId: string;
  matched: boolean;
  effect: FeedbackEffect;
  messageId: string | null;
  contactId: string | null;
  campaignId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_DETAIL = 500;
const MAX_STATUS = 40;

/** The event each kind appends to the message it concerns. */
const EVENT_TYPES: Record<Exclude<FeedbackKind, 'unparsed'>, string> = {
  'hard-bounce': 'bounced',
  'soft-bounce': 'soft-bounce',
  blocked: 'blocked-report',
  complaint: 'complained',
  delivery: 'delivered',
};

type Report = {
  input: z.output<typeof FeedbackInputSchema>;
  id: string;
  messageId: string | null;
  contactId: string | null;
  campaignId: string | null;
  messageClass: 'transactional' | 'promotional' | null;
  messageStatus: string | null;
  addressHash: string | null;
  /** The unkeyed hash the address's rows written before keyed hashes carry (hash-address.ts). */
  legacyHash: string | null;
  matched: boolean;
  effect: FeedbackEffect;
};

type Suppression = {
  report: Report;
  reason: 'hard-bounce' | 'complaint' | 'soft-bounce-limit';
  source: 'bounce' | 'complaint';
};

/**
 * Applies bounce, complaint and delivery reports (inbound DSN and ARF mail, provider webhooks,
 * POST /v1/feedback) through the consent domain, all of them in one transaction and a fixed number
 * of statements however many there are:
 *
 * - every report is kept in feedback_reports, matched to a message or not; one whose
 *   `providerEventId` was seen before changes nothing (`duplicate`);
 * - a report is matched by the message it names, else by a contact holding the address it names;
 *   an unmatched or unparsed report changes nothing else;
 * - hard bounce: the address is suppressed (`hard-bounce`, consent log source `bounce`), a `sent`
 *   message becomes `bounced` and counts once in its campaign's hard bounces;
 * - soft bounce: counted per address; `softBounceLimit` in a row, with no delivery reported in
 *   between, suppress it (`soft-bounce-limit`);
 * - complaint: the address is suppressed for promotional mail (`complaint`, source `complaint`),
 *   counted once per message in its campaign's complaints; transactional mail still goes;
 * - a refusal of the sender (`blocked`) never suppresses anyone; a delivery resets the soft count.
 *
 * Each matched report appends an event to its message. The answer is aligned with the input.
 */
export async function recordFeedback(
  db: DbClient,
  inputs: FeedbackInput[],
  options: { softBounceLimit: number },
): Promise<FeedbackResult[]> {
  const parsed = parseInput(FeedbackInputsSchema, inputs, 'recordFeedback');
  const { softBounceLimit } = parseInput(OptionsSchema, options, 'recordFeedback');
  if (parsed.length === 0) return [];
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => applyReports(tx, parsed, softBounceLimit));
    } catch (error) {
      // Two batches naming the same addresses and campaigns can deadlock; one of them is retried.
      if (attempt >= 3 || !isDeadlock(error)) throw error;
    }
  }
}

function isDeadlock(error: unknown): boolean {
  return /40P01|deadlock detected/.test(String((error as Error)?.message ?? error));
}

async function applyReports(
  tx: DbClient,
  inputs: z.output<typeof FeedbackInputsSchema>,
  softBounceLimit: number,
): Promise<FeedbackResult[]> {
  const reports = await matchReports(tx, inputs);
  const fresh = await insertReports(tx, reports);

  const suppressions: Suppression[] = [];
  const softCounts = new Map<string, Report[]>();
  // A delivery resets the address's soft count, whichever hash it was counted under.
  const deliveredHashes = new Set<string>();
  const bounceCandidates: Report[] = [];
  const complaints: Report[] = [];
  const events: Report[] = [];
  for (const report of fresh) {
    if (!report.matched) continue;
    const kind = report.input.kind as Exclude<FeedbackKind, 'unparsed'>;
    if (report.messageId) events.push(report);
    const hash = report.addressHash;
    if (kind === 'hard-bounce') {
      if (hash) suppressions.push({ report, reason: 'hard-bounce', source: 'bounce' });
      if (report.messageId && report.messageStatus === 'sent') bounceCandidates.push(report);
    } else if (kind === 'complaint') {
      if (hash) suppressions.push({ report, reason: 'complaint', source: 'complaint' });
      if (report.messageId) complaints.push(report);
    } else if (kind === 'soft-bounce' && hash) {
      softCounts.set(hash, [...(softCounts.get(hash) ?? []), report]);
      report.effect = 'soft-bounce-counted';
    } else if (kind === 'delivery' && hash) {
      deliveredHashes.add(hash);
      if (report.legacyHash) deliveredHashes.add(report.legacyHash);
    }
  }

  if (deliveredHashes.size > 0) {
    await tx.$executeRaw`DELETE FROM soft_bounce_counts WHERE address_hash = ANY(${[...deliveredHashes]}::text[])`;
  }
  suppressions.push(...(await countSoftBounces(tx, softCounts, softBounceLimit)));
  await suppress(tx, suppressions);
  // The campaign rows are the ones every batch of a campaign's reports shares: they are locked last.
  await bounceAndCount(tx, bounceCandidates, complaints);
  await appendEventsAndEffects(tx, events, fresh);

  return reports.map((report) => ({
    reportId: report.id,
    matched: report.matched,
    effect: report.effect,
    messageId: report.messageId,
    contactId: report.contactId,
    campaignId: report.campaignId,
  }));
}

/** Finds each report's message (by id) or contact (by address), in two queries for the batch. */
async function matchReports(tx: DbClient, inputs: z.output<typeof FeedbackInputsSchema>): Promise<Report[]> {
  const messageIds = [
    ...new Set(
      inputs.flatMap((input) => (input.messageId && UUID.test(input.messageId) ? [input.messageId] : [])),
    ),
  ];
  const messages =
    messageIds.length === 0
      ? []
      : await tx.$queryRaw<
          {
            id: string;
            contact_id: string;
            campaign_id: string | null;
            class: 'transactional' | 'promotional';
            status: string;
            email: string | null;
          }[]
        >`
          SELECT m.id::text, m.contact_id::text, m.campaign_id::text, m.class::text AS class,
                 m.status::text AS status, c.email
            FROM messages m JOIN contacts c ON c.id = m.contact_id
           WHERE m.id = ANY(${messageIds}::uuid[])`;
  const messageById = new Map(messages.map((row) => [row.id, row]));
  const emails = [
    ...new Set(
      inputs.flatMap((input) =>
        input.email && !(input.messageId && messageById.has(input.messageId.toLowerCase()))
          ? [normalizeAddress(input.email)]
          : [],
      ),
    ),
  ];
  const contacts =
    emails.length === 0
      ? []
      : await tx.$queryRaw<{ id: string; email: string }[]>`
          SELECT id::text, email FROM contacts WHERE email = ANY(${emails}::text[])`;
  const contactByEmail = new Map(contacts.map((row) => [row.email, row.id]));

  return inputs.map((input) => {
    const message = input.messageId ? messageById.get(input.messageId.toLowerCase()) : undefined;
    const email = input.email ? normalizeAddress(input.email) : null;
    const address = message?.email ?? email;
    const contactId = message?.contact_id ?? (email ? (contactByEmail.get(email) ?? null) : null);
    const [addressHash, legacyHash] = address ? addressHashes(address) : [null, null];
    const matched = input.kind !== 'unparsed' && (message !== undefined || contactId !== null);
    return {
      input: {
        ...input,
        status: input.status?.slice(0, MAX_STATUS) ?? null,
        detail: input.detail?.replace(/\s+/g, ' ').trim().slice(0, MAX_DETAIL) ?? null,
      },
      id: randomUUID(),
      messageId: message?.id ?? null,
      contactId,
      campaignId: message?.campaign_id ?? null,
      messageClass: message?.class ?? null,
      messageStatus: message?.status ?? null,
      addressHash,
      legacyHash,
      matched,
      effect: matched ? 'recorded' : 'none',
    };
  });
}

/**
 * Keeps every report; answers those seen for the first time. A report repeating a provider event
 * id already kept is a duplicate: its result names the first one's row and it changes nothing.
 */
async function insertReports(tx: DbClient, reports: Report[]): Promise<Report[]> {
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO feedback_reports (id, channel, kind, status, detail, message_id, campaign_id, contact_id,
                                  class, address_hash, matched, effect, provider_event_id)
    SELECT v.id, v.channel, v.kind, v.status, v.detail, v.message_id, v.campaign_id, v.contact_id,
           v.class::"MessageClass", v.address_hash, v.matched, v.effect, v.provider_event_id
      FROM unnest(
        ${reports.map((r) => r.id)}::uuid[],
        ${reports.map((r) => r.input.channel)}::text[],
        ${reports.map((r) => r.input.kind)}::text[],
        ${reports.map((r) => r.input.status ?? null)}::text[],
        ${reports.map((r) => r.input.detail ?? null)}::text[],
        ${reports.map((r) => r.messageId)}::uuid[],
        ${reports.map((r) => r.campaignId)}::uuid[],
        ${reports.map((r) => r.contactId)}::uuid[],
        ${reports.map((r) => r.messageClass)}::text[],
        ${reports.map((r) => r.addressHash)}::text[],
        ${reports.map((r) => r.matched)}::boolean[],
        ${reports.map((r) => r.effect)}::text[],
        ${reports.map((r) => r.input.providerEventId ?? null)}::text[]
      ) AS v(id, channel, kind, status, detail, message_id, campaign_id, contact_id, class, address_hash,
             matched, effect, provider_event_id)
    ON CONFLICT (provider_event_id) DO NOTHING
    RETURNING id::text`;
  const insertedIds = new Set(inserted.map((row) => row.id));
  const duplicates = reports.filter((report) => !insertedIds.has(report.id));
  if (duplicates.length > 0) {
    const eventIds = duplicates.flatMap((report) =>
      report.input.providerEventId ? [report.input.providerEventId] : [],
    );
    const firsts = await tx.$queryRaw<{ id: string; provider_event_id: string }[]>`
      SELECT id::text, provider_event_id FROM feedback_reports WHERE provider_event_id = ANY(${eventIds}::text[])`;
    const firstByEventId = new Map(firsts.map((row) => [row.provider_event_id, row.id]));
    for (const report of duplicates) {
      report.id = firstByEventId.get(report.input.providerEventId ?? '') ?? report.id;
      report.effect = 'duplicate';
    }
  }
  return reports.filter((report) => insertedIds.has(report.id));
}

/** Adds the batch's soft bounces to each address's count; answers the suppressions of those at the limit. */
async function countSoftBounces(
  tx: DbClient,
  softCounts: Map<string, Report[]>,
  limit: number,
): Promise<Suppression[]> {
  if (softCounts.size === 0) return [];
  const hashes = [...softCounts.keys()].sort();
  const counted = await tx.$queryRaw<{ address_hash: string; count: number }[]>`
    INSERT INTO soft_bounce_counts (address_hash, count, updated_at)
    SELECT h, n, now() FROM unnest(${hashes}::text[], ${hashes.map((h) => softCounts.get(h)?.length ?? 0)}::int[]) AS v(h, n)
    ON CONFLICT (address_hash) DO UPDATE SET count = soft_bounce_counts.count + excluded.count, updated_at = now()
    RETURNING address_hash, count`;
  return counted.flatMap((row) => {
    const reports = softCounts.get(row.address_hash) ?? [];
    const last = reports[reports.length - 1];
    return row.count >= limit && last
      ? [{ report: last, reason: 'soft-bounce-limit', source: 'bounce' } as const]
      : [];
  });
}

/**
 * Suppresses the addresses (a second suppression of an address for the same reason changes
 * nothing) and logs a `suppress` entry for each new one that belongs to a contact, in one statement.
 */
async function suppress(tx: DbClient, suppressions: Suppression[]): Promise<void> {
  if (suppressions.length === 0) return;
  const ordered = [...suppressions].sort((a, b) =>
    `${a.report.addressHash}${a.reason}` < `${b.report.addressHash}${b.reason}` ? -1 : 1,
  );
  const created = await tx.$queryRaw<{ address_hash: string; reason: string }[]>`
    WITH v AS (
      SELECT * FROM unnest(
        ${ordered.map((s) => s.report.addressHash)}::text[],
        ${ordered.map((s) => s.report.legacyHash)}::text[],
        ${ordered.map((s) => s.reason)}::text[],
        ${ordered.map((s) => s.report.contactId)}::uuid[],
        ${ordered.map((s) => s.report.input.detail ?? null)}::text[],
        ${ordered.map((s) => s.source)}::text[],
        ${ordered.map((s) => s.report.messageId)}::uuid[],
        ${ordered.map((s) => s.report.campaignId)}::uuid[]
      ) WITH ORDINALITY AS v(h, legacy, reason, contact_id, detail, source, message_id, campaign_id, ord)),
    created AS (
      INSERT INTO suppressions (id, address_hash, reason, contact_id, detail, created_at)
      SELECT gen_random_uuid(), v.h, v.reason::"SuppressionReason", v.contact_id, v.detail, now() FROM v
       -- Suppressed for this reason before keyed hashes: already on the list.
       WHERE NOT EXISTS (SELECT 1 FROM suppressions l
                          WHERE l.address_hash = v.legacy AND l.reason = v.reason::"SuppressionReason")
      ON CONFLICT (address_hash, reason) DO NOTHING
      RETURNING address_hash, reason::text AS reason),
    first AS (
      SELECT DISTINCT ON (v.h, v.reason) v.*
        FROM v JOIN created c ON c.address_hash = v.h AND c.reason = v.reason
       ORDER BY v.h, v.reason, v.ord),
    logged AS (
      INSERT INTO consent_log (contact_id, category_key, action, source, reason, message_id, campaign_id)
      SELECT contact_id, NULL, 'suppress', source::"ConsentSource", reason, message_id, campaign_id
        FROM first WHERE contact_id IS NOT NULL)
    SELECT address_hash, reason FROM created`;
  const pending = new Set(created.map((row) => `${row.address_hash}/${row.reason}`));
  for (const suppression of ordered) {
    if (!pending.delete(`${suppression.report.addressHash}/${suppression.reason}`)) continue;
    suppression.report.effect =
      suppression.reason === 'soft-bounce-limit' ? 'soft-bounce-limit' : 'suppressed';
  }
}

/**
 * Sent messages reported as hard-bounced become `bounced`; each campaign counts its new bounces and
 * its complaints about messages not complained about before, in one statement.
 */
async function bounceAndCount(tx: DbClient, bounces: Report[], complaints: Report[]): Promise<void> {
  const complained = complaints.filter((r) => r.campaignId);
  if (bounces.length === 0 && complained.length === 0) return;
  const bounceIds = [...new Set(bounces.map((r) => r.messageId as string))].sort();
  const reasons = bounceIds.map((id) => {
    const report = bounces.find((r) => r.messageId === id);
    return `bounce report (${report?.input.channel}): ${[report?.input.status, report?.input.detail].filter(Boolean).join(' ')}`.slice(
      0,
      MAX_DETAIL,
    );
  });
  const moved = await tx.$queryRaw<{ id: string }[]>`
    WITH moved AS (
      UPDATE messages m SET status = 'bounced', reason = v.reason, updated_at = now()
        FROM unnest(${bounceIds}::uuid[], ${reasons}::text[]) AS v(id, reason)
       WHERE m.id = v.id AND m.status = 'sent'
      RETURNING m.id, m.campaign_id),
    bounced AS (
      SELECT campaign_id AS id, count(*)::int AS n FROM moved WHERE campaign_id IS NOT NULL GROUP BY 1),
    complained AS (
      SELECT v.campaign_id AS id, count(DISTINCT v.message_id)::int AS n
        FROM unnest(${complained.map((r) => r.messageId)}::uuid[], ${complained.map((r) => r.campaignId)}::uuid[])
             AS v(message_id, campaign_id)
       WHERE NOT EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = v.message_id AND e.type = 'complained')
       GROUP BY 1),
    counts AS (
      SELECT COALESCE(b.id, c.id) AS id, COALESCE(b.n, 0) AS bounces, COALESCE(c.n, 0) AS complaints
        FROM bounced b FULL JOIN complained c ON c.id = b.id
       ORDER BY 1),
    counted AS (
      UPDATE campaigns c
         SET hard_bounces = c.hard_bounces + counts.bounces, complaints = c.complaints + counts.complaints,
             updated_at = now()
        FROM counts WHERE c.id = counts.id)
    SELECT id::text FROM moved`;
  const movedIds = new Set(moved.map((row) => row.id));
  for (const report of bounces) {
    if (movedIds.has(report.messageId as string) && report.effect === 'recorded') report.effect = 'bounced';
  }
}

/** Appends each matched report's event to its message and writes back the effect each report had. */
async function appendEventsAndEffects(tx: DbClient, events: Report[], reports: Report[]): Promise<void> {
  const changed = reports.filter((r) => r.matched && r.effect !== 'recorded');
  if (events.length === 0 && changed.length === 0) return;
  await tx.$executeRaw`
    WITH appended AS (
      INSERT INTO message_events (message_id, type, detail)
      SELECT v.message_id, v.type, v.detail::jsonb
        FROM unnest(
          ${events.map((r) => r.messageId)}::uuid[],
          ${events.map((r) => EVENT_TYPES[r.input.kind as Exclude<FeedbackKind, 'unparsed'>])}::text[],
          ${events.map((r) =>
            JSON.stringify({
              report: r.id,
              channel: r.input.channel,
              ...(r.input.status && { status: r.input.status }),
              ...(r.input.detail && { detail: r.input.detail }),
            }),
          )}::text[]
        ) AS v(message_id, type, detail))
    UPDATE feedback_reports f SET effect = v.effect
      FROM unnest(${changed.map((r) => r.id)}::uuid[], ${changed.map((r) => r.effect)}::text[]) AS v(id, effect)
     WHERE f.id = v.id`;
}
