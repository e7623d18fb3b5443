import { Controller, Get, Inject } from '@nestjs/common';
import type { Db } from '@herald/db';
import { PRISMA } from '../core/injection-tokens.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { readTemplateLocales } from './template-locales.js';

/** The console's view of which languages the templates cover (its own path: a template key may be any word). */
@Controller('v1/template-locales')
export class TemplateLocalesController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Get()
  @RequireScope('templates')
  read() {
    return readTemplateLocales(this.db);
  }
}
