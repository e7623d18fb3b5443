import type { ConsentLogEntry, Db } from '@herald/db';

/** One consent-log row as the API shows it (the history below, and a contact's export). */
export const toConsentLogView = (row: ConsentLogEntry) => ({
  id: row.id.toString(),
  category: row.categoryKey,
  scope: row.categoryKey ?? 'all-promotional',
  action: row.action,
  source: row.source.replaceAll('_', '-'),
  occurredAt: row.occurredAt.toISOString(),
  messageId: row.messageId,
  campaignId: row.campaignId,
  actor: row.actor,
  reason: row.reason,
  userAgent: row.userAgent,
});

/** The contact's consent history, oldest first, as a support agent or an auditor reads it. */
export async function listConsentLog(db: Db, { contactId }: { contactId: string }) {
  const rows = await db.consentLogEntry.findMany({ where: { contactId }, orderBy: { id: 'asc' } });
  return rows.map(toConsentLogView);
}
