import type { Db, MessageStatus } from '@herald/db';

/**
 * Messages newest first, optionally of one contact, campaign or status; a page of `limit` after the
 * id `after`, with `next` the cursor of the following page (null on the last one).
 */
export async function listMessages(
  db: Db,
  {
    contactId,
    campaignId,
    status,
    limit,
    after,
  }: { contactId?: string; campaignId?: string; status?: MessageStatus; limit: number; after?: string },
) {
  const messages = await db.message.findMany({
    where: {
      ...(contactId && { contactId }),
      ...(campaignId && { campaignId }),
      ...(status && { status }),
      ...(after && { id: { lt: after } }),
    },
    orderBy: { id: 'desc' },
    take: limit,
    include: { template: { select: { key: true, version: true } } },
  });
  const last = messages.at(-1);
  return { messages, next: messages.length === limit && last ? last.id : null };
}
