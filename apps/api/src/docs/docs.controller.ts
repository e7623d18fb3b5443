import { Controller, Get, Inject } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import { buildOpenApiDocument } from '@herald/contract';
import { API_ENV } from '../core/injection-tokens.js';
import { PublicRoute } from '../core/require-scope.decorator.js';

@PublicRoute()
@Controller('docs')
export class DocsController {
  private readonly document: ReturnType<typeof buildOpenApiDocument>;

  constructor(@Inject(API_ENV) env: ApiEnv) {
    this.document = buildOpenApiDocument(env.PUBLIC_API_URL);
  }

  @Get()
  openApi() {
    return this.document;
  }
}
