import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import type { Db } from '@herald/db';
import { sampleSystemVariables, type TemplateRenderer } from '@herald/templates';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { API_ENV, TEMPLATES, PRISMA, TEMPLATE_RENDERER } from '../core/injection-tokens.js';
import type { TemplateCache } from './template-cache.js';
import { parseInput } from '../core/parse-input.js';
import { listLatestTemplates, listLatestVariants } from './list-latest-templates.js';
import { previewTemplate } from './preview-template.js';
import { readLatestTemplate } from './read-latest-template.js';
import { saveTemplateVersion } from './save-template-version.js';
import { toTemplateView } from './template-view.js';
import {
  KebabKeySchema,
  PreviewTemplateSchema,
  SaveTemplateSchema,
  TemplateLocaleSchema,
} from '@herald/contract';
import { findVariants } from './find-template.js';

@Controller('v1/templates')
export class TemplatesController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(TEMPLATE_RENDERER) private readonly renderer: TemplateRenderer,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(TEMPLATES) private readonly latest: TemplateCache,
  ) {}

  /** The latest version of every template, each with its translations. */
  @Get()
  @RequireScope('templates')
  async list() {
    const [templates, variants] = await Promise.all([
      listLatestTemplates(this.db),
      listLatestVariants(this.db),
    ]);
    return {
      templates: templates.map((template) =>
        toTemplateView(
          template,
          variants.filter((variant) => variant.key === template.key),
        ),
      ),
    };
  }

  @Post()
  @RequireScope('templates')
  async save(@Body() body: unknown, @CurrentCaller() caller: Caller) {
    const input = parseInput(SaveTemplateSchema, body);
    const template = await saveTemplateVersion(this.db, this.renderer, {
      input,
      system: this.sampleSystem(),
      actor: caller.actor,
      ...(caller.templateClasses && { classes: caller.templateClasses }),
    });
    this.latest.forget(input.key);
    return toTemplateView(template);
  }

  /** The latest default version with the list of its translations; `?locale=de` reads that translation. */
  @Get(':key')
  @RequireScope('templates')
  async read(@Param('key') key: string, @Query('locale') locale?: string) {
    const templateKey = parseInput(KebabKeySchema, key, 'path');
    if (locale !== undefined) {
      const wanted = parseInput(TemplateLocaleSchema, locale, 'query');
      return toTemplateView(await readLatestTemplate(this.db, templateKey, wanted));
    }
    const template = await readLatestTemplate(this.db, templateKey);
    return toTemplateView(template, await findVariants(this.db, templateKey));
  }

  /** Renders the latest version with the given data (or its fixture), exactly as a recipient would get it. */
  @Post(':key/preview')
  @RequireScope('templates', { reads: true })
  @HttpCode(200)
  async preview(@Param('key') key: string, @Body() body: unknown) {
    const { data, locale } = parseInput(PreviewTemplateSchema, body);
    return previewTemplate(
      { db: this.db, renderer: this.renderer, system: this.sampleSystem() },
      { key: parseInput(KebabKeySchema, key, 'path'), data, locale },
    );
  }

  private sampleSystem() {
    return sampleSystemVariables({
      publicWebUrl: this.env.PUBLIC_WEB_URL,
      postalAddress: this.env.HERALD_POSTAL_ADDRESS,
    });
  }
}
