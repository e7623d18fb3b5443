import { type Db, Prisma } from '@herald/db';
import type { UpdateCategorySchema } from '@herald/contract';
import type { z } from 'zod';
import { DomainError } from '../core/domain-error.js';

/** Changes a category's wording; an unknown key is a 404. */
export async function updateCategory(db: Db, key: string, changes: z.output<typeof UpdateCategorySchema>) {
  try {
    return await db.category.update({ where: { key }, data: changes });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') {
      throw new DomainError('not_found', `There is no category with key "${key}".`);
    }
    throw error;
  }
}
