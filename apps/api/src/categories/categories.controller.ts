import { Body, Controller, Get, Inject, Post, UseGuards } from '@nestjs/common';
import type { Category, Db } from '@herald/db';
import { z } from 'zod';
import { ApiKeyGuard } from '../core/api-key.guard.js';
import { KebabKeySchema } from '../core/common-schemas.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { createCategory } from './create-category.js';
import { listCategories } from './list-categories.js';

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
    return { categories: (await listCategories(this.db)).map(toView) };
  }

  @Post()
  async create(@Body() body: unknown) {
    return toView(await createCategory(this.db, parseInput(CreateCategorySchema, body)));
  }
}
