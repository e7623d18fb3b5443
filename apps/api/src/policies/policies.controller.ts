import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Post, Query } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { ApiEnv } from '@herald/config';
import type { Db } from '@herald/db';
import { sampleSystemVariables, type TemplateRenderer } from '@herald/templates';
import type { Queue } from 'bull';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { API_ENV, TEMPLATES, PRISMA, TEMPLATE_RENDERER } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import type { TemplateCache } from '../templates/template-cache.js';
import { announcePolicyVersion } from './announce-policy-version.js';
import { createPolicyVersion } from './create-policy-version.js';
import { getPolicyCoverage } from './get-policy-coverage.js';
import { listPolicyVersions } from './list-policy-versions.js';
import { AnnouncePolicySchema, CreatePolicySchema, IdSchema, ListPoliciesSchema } from '@herald/contract';
import { POLICY_QUEUE } from './policy-queue.js';
import { publicPolicyStatuses } from './public-policy-statuses.js';
import { toPolicyView } from './policy-view.js';
import { readPolicyVersion } from './read-policy-version.js';

@Controller('v1/policies')
export class PoliciesController {
  private readonly logger = new Logger('PoliciesController');

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(TEMPLATE_RENDERER) private readonly renderer: TemplateRenderer,
    @Inject(TEMPLATES) private readonly templates: TemplateCache,
    @InjectQueue(POLICY_QUEUE) private readonly queue: Queue,
  ) {}

  @Post()
  @RequireScope('policies')
  async create(@Body() body: unknown, @CurrentCaller() caller: Caller) {
    const input = parseInput(CreatePolicySchema, body);
    const version = await createPolicyVersion(
      {
        db: this.db,
        templates: this.templates,
        renderer: this.renderer,
        sampleSystem: sampleSystemVariables({
          publicWebUrl: this.env.PUBLIC_WEB_URL,
          postalAddress: this.env.HERALD_POSTAL_ADDRESS,
        }),
        noticeDays: this.env.HERALD_POLICY_NOTICE_DAYS,
      },
      input,
      { actor: caller.actor },
    );
    const { previous } = await readPolicyVersion(this.db, version.id);
    return toPolicyView(version, previous);
  }

  @Get()
  @RequireScope('policies', { narrower: 'notices' })
  async list(@Query() query: unknown, @CurrentCaller() caller: Caller) {
    const asked = parseInput(ListPoliciesSchema, query, 'query').status;
    const statuses = publicPolicyStatuses(caller, asked);
    return { policies: await listPolicyVersions(this.db, { ...(statuses && { statuses }) }) };
  }

  @Get(':id')
  @RequireScope('policies')
  async read(@Param('id') id: string) {
    const { version, previous } = await readPolicyVersion(this.db, parseInput(IdSchema, id, 'path'));
    return toPolicyView(version, previous);
  }

  @Post(':id/announce')
  @RequireScope('policies')
  @HttpCode(202)
  async announce(@Param('id') id: string, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    const policyVersionId = parseInput(IdSchema, id, 'path');
    const input = parseInput(AnnouncePolicySchema, body);
    const { version, announcedNow } = await announcePolicyVersion(
      {
        db: this.db,
        queue: this.queue,
        noticeDays: this.env.HERALD_POLICY_NOTICE_DAYS,
        log: (message) => this.logger.warn(message),
      },
      { id: policyVersionId, input, actor: caller.actor },
    );
    const { previous } = await readPolicyVersion(this.db, version.id);
    return { ...toPolicyView(version, previous), alreadyAnnounced: !announcedNow };
  }

  @Get(':id/coverage')
  @RequireScope('policies')
  async coverage(@Param('id') id: string) {
    const { version } = await readPolicyVersion(this.db, parseInput(IdSchema, id, 'path'));
    return getPolicyCoverage(this.db, { version, atRiskDays: this.env.HERALD_POLICY_AT_RISK_DAYS });
  }
}
