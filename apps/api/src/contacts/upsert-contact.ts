import { type Db, Prisma } from '@herald/db';
import { DomainError } from '../core/domain-error.js';
import type { UpsertContactInput } from '@herald/contract';

/** Creates a contact, or updates the one with the same email (or, without an email, the same externalId). */
export async function upsertContact(
  db: Db,
  input: UpsertContactInput,
): Promise<{ contact: Prisma.ContactGetPayload<object>; created: boolean }> {
  const where: Prisma.ContactWhereUniqueInput = input.email
    ? { email: input.email }
    : { externalId: input.externalId as string };
  const fields = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.locale !== undefined && { locale: input.locale }),
    ...(input.timezone !== undefined && { timezone: input.timezone }),
    ...(input.externalId !== undefined && { externalId: input.externalId }),
    ...(input.attributes !== undefined && { attributes: input.attributes as Prisma.InputJsonObject }),
  };
  try {
    const existing = await db.contact.findUnique({ where, select: { id: true } });
    if (existing) {
      const contact = await db.contact.update({
        where: { id: existing.id },
        data: { ...fields, ...(input.email && { email: input.email }) },
      });
      return { contact, created: false };
    }
    const contact = await db.contact.create({ data: { ...fields, email: input.email ?? null } });
    return { contact, created: true };
  } catch (error) {
    throw asConflict(error);
  }
}

/** A unique violation means the email or externalId already belongs to another contact. */
export function asConflict(error: unknown): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    const target = JSON.stringify(error.meta ?? {});
    const field = target.includes('external_id') || target.includes('externalId') ? 'externalId' : 'email';
    return new DomainError('conflict', `Another contact already has this ${field}.`, { field });
  }
  return error;
}
