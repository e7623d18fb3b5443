import type { ContactExport } from '@herald/contract';
import type { Db } from '@herald/db';
import { addressHashes, getPreferences } from '@herald/preferences';
import { notFound } from '../core/domain-error.js';
import { recordAudit } from '../core/record-audit.js';
import { toConsentLogView } from './list-consent-log.js';

/**
 * Everything Herald holds about one contact (GDPR Art. 15), read in one repeatable-read
 * transaction (one consistent picture), which also writes the `contact.exported` audit row: the log
 * names every export, and only exports that happened. An erased or unknown contact is a 404: what is
 * left of an erased contact identifies nobody.
 */
export async function exportContact(
  db: Db,
  { id, actor }: { id: string; actor: string },
): Promise<ContactExport> {
  return db.$transaction(
    async (tx) => {
      const contact = await tx.contact.findUnique({ where: { id } });
      if (!contact || contact.erasedAt) throw notFound('contact', id);

      const preferences = await getPreferences(tx, { contactId: id });
      const preferenceRows = await tx.preference.findMany({
        where: { contactId: id },
        orderBy: { categoryKey: 'asc' },
      });
      const consentLog = await tx.consentLogEntry.findMany({
        where: { contactId: id },
        orderBy: { id: 'asc' },
      });
      const hashes = contact.email ? addressHashes(contact.email) : [];
      const suppressions = await tx.suppression.findMany({
        where: { OR: [{ contactId: id }, { addressHash: { in: hashes } }] },
        orderBy: { createdAt: 'asc' },
      });
      const messages = await tx.message.findMany({
        where: { contactId: id },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: { template: { select: { key: true } }, events: { orderBy: { id: 'asc' } } },
      });
      const notices = await tx.notice.findMany({
        where: { contactId: id },
        orderBy: { createdAt: 'asc' },
        include: { policyVersion: { select: { version: true } } },
      });
      const feedbackReports = await tx.feedbackReport.findMany({
        where: { contactId: id },
        orderBy: { receivedAt: 'asc' },
      });
      const signInLinks = await tx.signInToken.findMany({
        where: { contactId: id },
        orderBy: { createdAt: 'asc' },
        select: { id: true, createdAt: true, expiresAt: true, usedAt: true },
      });

      await recordAudit(tx, { actor, action: 'contact.exported', targetType: 'contact', targetId: id });

      return {
        exportedAt: new Date().toISOString(),
        contact: {
          id: contact.id,
          email: contact.email,
          name: contact.name,
          locale: contact.locale,
          timezone: contact.timezone,
          externalId: contact.externalId,
          attributes: contact.attributes,
          promotionalOptOut: contact.promotionalOptOut,
          promotionalDefaults: contact.promotionalDefaults,
          createdAt: contact.createdAt.toISOString(),
          updatedAt: contact.updatedAt.toISOString(),
        },
        preferences: {
          allPromotional: preferences.allPromotional,
          categories: preferences.categories.map((category) => ({
            key: category.key,
            name: category.name,
            class: category.class,
            required: category.required,
            subscribed: category.subscribed,
          })),
        },
        preferenceRows: preferenceRows.map((row) => ({
          category: row.categoryKey,
          subscribed: row.subscribed,
          updatedAt: row.updatedAt.toISOString(),
        })),
        consentLog: consentLog.map((row) => ({ ...toConsentLogView(row), ipHash: row.ipHash })),
        suppressions: suppressions.map((row) => ({
          id: row.id,
          addressHash: row.addressHash,
          reason: row.reason.replaceAll('_', '-'),
          detail: row.detail,
          createdAt: row.createdAt.toISOString(),
        })),
        messages: messages.map((message) => ({
          id: message.id,
          template: message.template.key,
          category: message.categoryKey,
          class: message.class,
          status: message.status,
          reason: message.reason,
          campaignId: message.campaignId,
          data: message.data,
          attempts: message.attempts,
          smtpMessageId: message.smtpMessageId,
          createdAt: message.createdAt.toISOString(),
          sentAt: message.sentAt?.toISOString() ?? null,
          events: message.events.map((event) => ({
            id: event.id.toString(),
            type: event.type,
            detail: event.detail,
            occurredAt: event.occurredAt.toISOString(),
          })),
        })),
        notices: notices.map((notice) => ({
          id: notice.id,
          policyVersionId: notice.policyVersionId,
          policyVersion: notice.policyVersion.version,
          messageId: notice.messageId,
          emailAttempts: notice.emailAttempts,
          acknowledgedAt: notice.acknowledgedAt?.toISOString() ?? null,
          createdAt: notice.createdAt.toISOString(),
        })),
        feedbackReports: feedbackReports.map((report) => ({
          id: report.id,
          receivedAt: report.receivedAt.toISOString(),
          channel: report.channel,
          kind: report.kind,
          status: report.status,
          detail: report.detail,
          messageId: report.messageId,
          effect: report.effect,
        })),
        signInLinks: signInLinks.map((link) => ({
          id: link.id,
          createdAt: link.createdAt.toISOString(),
          expiresAt: link.expiresAt.toISOString(),
          usedAt: link.usedAt?.toISOString() ?? null,
        })),
      };
    },
    { isolationLevel: 'RepeatableRead', timeout: 30_000 },
  );
}
