import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { TemplateRenderer } from '@herald/templates';
import { ApiError } from '../core/api-error.js';
import { ApiKeyGuard } from '../core/api-key.guard.js';
import { KebabKeySchema } from '../core/common-schemas.js';
import { API_ENV, LATEST_TEMPLATES, PRISMA, TEMPLATE_RENDERER } from '../core/injection-tokens.js';
import type { LatestTemplateCache } from './latest-template-cache.js';
import { parseInput } from '../core/parse-input.js';
import { saveTemplateVersion } from './save-template-version.js';
import { sampleSystemVariables } from './system-variables.js';
import { toRenderSource } from './template-source.js';
import { toTemplateView } from './template-view.js';
import { PreviewTemplateSchema, SaveTemplateSchema } from './templates.schemas.js';

@Controller('v1/templates')
@UseGuards(ApiKeyGuard)
export class TemplatesController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(TEMPLATE_RENDERER) private readonly renderer: TemplateRenderer,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(LATEST_TEMPLATES) private readonly latest: LatestTemplateCache,
  ) {}

  /** The latest version of every template. */
  @Get()
  async list() {
    const templates = await this.db.template.findMany({
      distinct: ['key'],
      orderBy: [{ key: 'asc' }, { version: 'desc' }],
      include: { category: true },
    });
    return { templates: templates.map(toTemplateView) };
  }

  @Post()
  async save(@Body() body: unknown) {
    const input = parseInput(SaveTemplateSchema, body);
    const template = await saveTemplateVersion(this.db, this.renderer, {
      input,
      system: this.sampleSystem(),
    });
    this.latest.forget(input.key);
    return toTemplateView(template);
  }

  @Get(':key')
  async read(@Param('key') key: string) {
    return toTemplateView(await this.findLatest(key));
  }

  /** Renders the latest version with the given data (or its fixture), exactly as a recipient would get it. */
  @Post(':key/preview')
  @HttpCode(200)
  async preview(@Param('key') key: string, @Body() body: unknown) {
    const { data } = parseInput(PreviewTemplateSchema, body);
    const template = await this.findLatest(key);
    const compiled = await this.renderer.compile(toRenderSource(template));
    const fixture = (template.fixture ?? {}) as Record<string, unknown>;
    return this.renderer.render(compiled, { ...(data ?? fixture), ...this.sampleSystem() });
  }

  private sampleSystem() {
    return sampleSystemVariables({
      publicWebUrl: this.env.PUBLIC_WEB_URL,
      postalAddress: this.env.HERALD_POSTAL_ADDRESS,
    });
  }

  private async findLatest(key: string) {
    parseInput(KebabKeySchema, key, 'path');
    const template = await this.db.template.findFirst({
      where: { key },
      orderBy: { version: 'desc' },
      include: { category: true },
    });
    if (!template) throw new ApiError(404, 'not_found', `No template with key "${key}".`);
    return template;
  }
}
