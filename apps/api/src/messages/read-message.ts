import type { Db } from '@herald/db';
import { notFound } from '../core/domain-error.js';

/** One message with its events, oldest first, and the template version it was sent with. */
export async function readMessage(db: Db, id: string) {
  const message = await db.message.findUnique({
    where: { id },
    include: { events: { orderBy: { id: 'asc' } }, template: { select: { key: true, version: true } } },
  });
  if (!message) throw notFound('message', id);
  return message;
}
