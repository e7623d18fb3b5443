import type { Db } from '@herald/db';
import { notFound } from '../core/domain-error.js';
import { NOTICE_INCLUDE, toNoticeView } from './notice-view.js';

/** A contact's in-app notices, newest policy first; `pending` keeps only those not yet acknowledged. */
export async function listContactNotices(
  db: Db,
  { contactId, pending }: { contactId: string; pending?: boolean },
) {
  const contact = await db.contact.findUnique({ where: { id: contactId }, select: { id: true } });
  if (!contact) throw notFound('contact', contactId);
  const notices = await db.notice.findMany({
    where: {
      contactId,
      ...(pending === true && { acknowledgedAt: null }),
      ...(pending === false && { acknowledgedAt: { not: null } }),
    },
    include: NOTICE_INCLUDE,
    orderBy: [{ policyVersion: { effectiveAt: 'desc' } }, { id: 'desc' }],
  });
  return notices.map(toNoticeView);
}
