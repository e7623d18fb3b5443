import { Body, Controller, Get, Inject, Post, UseGuards } from '@nestjs/common';
import { type CategoryView, CreateCategorySchema } from '@herald/contract';
import type { Category, Db } from '@herald/db';
import { ApiKeyGuard } from '../core/api-key.guard.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { createCategory } from './create-category.js';
import { listCategories } from './list-categories.js';

const toView = (category: Category): CategoryView => ({
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
