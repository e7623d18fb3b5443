import { Body, Controller, Get, Inject, Post, UseGuards } from '@nestjs/common';
import { type Category, type Db, Prisma } from '@herald/db';
import { z } from 'zod';
import { ApiError } from '../core/api-error.js';
import { ApiKeyGuard } from '../core/api-key.guard.js';
import { KebabKeySchema } from '../core/common-schemas.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';

export const CreateCategorySchema = z
  .strictObject({
    key: KebabKeySchema,
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().min(1).max(500),
    class: z.enum(['transactional', 'promotional']),
    required: z.boolean().default(false),
    defaultSubscribed: z.boolean().default(true),
  })
  .refine((value) => !(value.required && value.class === 'promotional'), {
    message: 'only transactional categories can be required',
    path: ['required'],
  });

const toView = (category: Category) => ({
  key: category.key,
  name: category.name,
  description: category.description,
  class: category.class,
  required: category.required,
  defaultSubscribed: category.defaultSubscribed,
});

@Controller('v1/categories')
@UseGuards(ApiKeyGuard)
export class CategoriesController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Get()
  async list() {
    const categories = await this.db.category.findMany({ orderBy: [{ class: 'asc' }, { key: 'asc' }] });
    return { categories: categories.map(toView) };
  }

  @Post()
  async create(@Body() body: unknown) {
    const input = parseInput(CreateCategorySchema, body);
    try {
      return toView(await this.db.category.create({ data: input }));
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ApiError(409, 'conflict', `A category with key "${input.key}" already exists.`);
      }
      throw error;
    }
  }
}
