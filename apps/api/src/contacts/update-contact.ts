import { type Db, Prisma } from '@herald/db';
import { DomainError, notFound } from '../core/domain-error.js';
import type { UpdateContactInput } from '@herald/contract';
import { asConflict } from './upsert-contact.js';

export async function updateContact(db: Db, { id, changes }: { id: string; changes: UpdateContactInput }) {
  const existing = await db.contact.findUnique({ where: { id }, select: { erasedAt: true } });
  if (!existing) throw notFound('contact', id);
  if (existing.erasedAt)
    throw new DomainError('contact_erased', 'This contact was erased; its data cannot be changed.');
  try {
    return await db.contact.update({
      where: { id },
      data: {
        ...changes,
        ...(changes.attributes !== undefined && { attributes: changes.attributes as Prisma.InputJsonObject }),
      },
    });
  } catch (error) {
    throw asConflict(error);
  }
}
