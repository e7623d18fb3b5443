import { type Db, Prisma } from '@herald/db';
import { DomainError } from '../core/domain-error.js';

export async function createCategory(db: Db, input: Prisma.CategoryCreateInput) {
  try {
    return await db.category.create({ data: input });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new DomainError('conflict', `A category with key "${input.key}" already exists.`);
    }
    throw error;
  }
}
