import type { ExportConsentLogInput } from '@herald/contract';
import type { Db } from '@herald/db';
import { csvLine } from '../core/csv.js';

const PAGE = 5000;

/** The consent log entries written in [from, to), oldest first, a page at a time by id. */
export async function* consentLogCsvLines(
  db: Db,
  { from, to }: ExportConsentLogInput,
): AsyncGenerator<string> {
  let after: bigint | undefined;
  for (;;) {
    const rows = await db.consentLogEntry.findMany({
      where: { occurredAt: { gte: from, lt: to }, ...(after !== undefined && { id: { gt: after } }) },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    for (const row of rows) {
      yield csvLine([
        row.id.toString(),
        row.occurredAt,
        row.contactId,
        row.categoryKey ?? 'all-promotional',
        row.action,
        row.source.replaceAll('_', '-'),
        row.actor,
        row.reason,
        row.messageId,
        row.campaignId,
        row.userAgent,
        row.ipHash,
      ]);
    }
    if (rows.length < PAGE) return;
    after = (rows.at(-1) as { id: bigint }).id;
  }
}
