import type { Db } from '@herald/db';
import { notFound } from '../core/domain-error.js';

export async function readContact(db: Db, id: string) {
  const contact = await db.contact.findUnique({ where: { id } });
  if (!contact) throw notFound('contact', id);
  return contact;
}
