import { type Db, Prisma } from '@herald/db';
import { notFound } from '../core/domain-error.js';
import { NOTICE_INCLUDE, toNoticeView } from './notice-view.js';

/**
 * Records that the contact has read a notice. Idempotent: the first acknowledgement's time is kept,
 * so a double click or a retried request changes nothing.
 */
export async function acknowledgeNotice(
  db: Db,
  { contactId, noticeId }: { contactId: string; noticeId: string },
) {
  await db.$executeRaw(Prisma.sql`
    UPDATE notices SET acknowledged_at = now()
     WHERE id = ${noticeId}::uuid AND contact_id = ${contactId}::uuid AND acknowledged_at IS NULL`);
  const notice = await db.notice.findFirst({ where: { id: noticeId, contactId }, include: NOTICE_INCLUDE });
  // Another contact's notice is answered like a missing one: ids reveal nothing across contacts.
  if (!notice) throw notFound('notice', noticeId);
  return toNoticeView(notice);
}
