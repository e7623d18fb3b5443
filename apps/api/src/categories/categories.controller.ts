import { Body, Controller, Get, Inject, Param, Patch, Post } from '@nestjs/common';
import {
  type CategoryTranslations,
  type CategoryView,
  CreateCategorySchema,
  UpdateCategorySchema,
} from '@herald/contract';
import type { Category, Db } from '@herald/db';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { createCategory } from './create-category.js';
import { listCategories } from './list-categories.js';
import { updateCategory } from './update-category.js';

const toView = (category: Category): CategoryView => ({
  key: category.key,
  name: category.name,
  description: category.description,
  class: category.class,
  required: category.required,
  defaultSubscribed: category.defaultSubscribed,
  // Written only through the schemas here, and a CHECK keeps the column an object.
  translations: category.translations as CategoryTranslations,
  trackClicks: category.trackClicks,
});

@Controller('v1/categories')
export class CategoriesController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Get()
  @RequireScope('templates')
  async list() {
    return { categories: (await listCategories(this.db)).map(toView) };
  }

  @Post()
  @RequireScope('templates')
  async create(@Body() body: unknown) {
    return toView(await createCategory(this.db, parseInput(CreateCategorySchema, body)));
  }

  @Patch(':key')
  @RequireScope('templates')
  async update(@Param('key') key: string, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    return toView(await updateCategory(this.db, key, parseInput(UpdateCategorySchema, body), caller));
  }
}
