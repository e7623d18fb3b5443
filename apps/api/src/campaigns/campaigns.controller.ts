import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { ApiEnv } from '@herald/config';
import {
  AudiencePreviewSchema,
  CreateCampaignSchema,
  IdSchema,
  ListCampaignsSchema,
  PreviewCampaignSchema,
  ScheduleCampaignSchema,
  TestSendSchema,
  ReportQuerySchema,
  TimelineSchema,
} from '@herald/contract';
import type { Db } from '@herald/db';
import type { SigningKey } from '@herald/preferences';
import { sampleSystemVariables, type SystemVariables, type TemplateRenderer } from '@herald/templates';
import type { Queue } from 'bull';
import type { Response } from 'express';
import { streamCsv } from '../core/csv.js';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { API_ENV, TEMPLATES, PRISMA, SIGNING_KEYS, TEMPLATE_RENDERER } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import type { TemplateCache } from '../templates/template-cache.js';
import { REPORT_CSV_HEADER, campaignReport, reportCsvLines } from './campaign-report.js';
import { campaignCounts } from './campaign-stats.js';
import { campaignTimeline } from './campaign-timeline.js';
import { toCampaignView } from './campaign-view.js';
import { type CampaignAction, changeCampaignStatus, scheduleCampaign } from './change-campaign-status.js';
import { countAudience } from './count-audience.js';
import { createCampaign } from './create-campaign.js';
import { listCampaigns } from './list-campaigns.js';
import { prepareCampaign } from './prepare-campaign.js';
import { previewCampaign } from './preview-campaign.js';
import { readCampaign } from './read-campaign.js';
import { testSendCampaign } from './test-send-campaign.js';

@Controller('v1/campaigns')
export class CampaignsController {
  private readonly sampleSystem: SystemVariables;

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(TEMPLATE_RENDERER) private readonly renderer: TemplateRenderer,
    @Inject(TEMPLATES) private readonly templates: TemplateCache,
    @Inject(SIGNING_KEYS) private readonly keys: SigningKey[],
    @Inject(API_ENV) private readonly env: ApiEnv,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
  ) {
    this.sampleSystem = sampleSystemVariables({
      publicWebUrl: env.PUBLIC_WEB_URL,
      postalAddress: env.HERALD_POSTAL_ADDRESS,
    });
  }

  @Post()
  @RequireScope('campaigns')
  async create(@Body() body: unknown, @CurrentCaller() caller: Caller) {
    const campaign = await createCampaign(this.prepareDeps(), parseInput(CreateCampaignSchema, body), {
      actor: caller.actor,
    });
    return toCampaignView(campaign, undefined, this.env);
  }

  @Get()
  @RequireScope('campaigns')
  async list(@Query() query: unknown) {
    const { campaigns, next } = await listCampaigns(this.db, parseInput(ListCampaignsSchema, query, 'query'));
    const counts = await campaignCounts(
      this.db,
      campaigns.map((c) => c.id),
    );
    return { campaigns: campaigns.map((c) => toCampaignView(c, counts.get(c.id), this.env)), next };
  }

  /** How many contacts a campaign would target now: for the form, before scheduling. */
  @Post('audience-preview')
  @RequireScope('campaigns', { reads: true })
  @HttpCode(200)
  async audiencePreview(@Body() body: unknown) {
    const input = parseInput(AudiencePreviewSchema, body);
    const { stored, resolved } = await prepareCampaign(this.prepareDeps(), input);
    return { audience: stored, ...(await countAudience(this.db, resolved)) };
  }

  @Get(':id')
  @RequireScope('campaigns')
  async read(@Param('id') id: string) {
    return this.view(id);
  }

  @Get(':id/timeline')
  @RequireScope('campaigns')
  async timeline(@Param('id') id: string, @Query() query: unknown) {
    const { bucket } = parseInput(TimelineSchema, query, 'query');
    const campaign = await this.find(id);
    const start = campaign.fanoutStartedAt ?? campaign.createdAt;
    const end = campaign.completedAt ?? new Date();
    return campaignTimeline(this.db, { id, start, end, bucket });
  }

  /** Deliveries, unique human clicks, top links, unsubscribes and complaints: JSON, or CSV with ?format=csv. */
  @Get(':id/report')
  @RequireScope('campaigns')
  async report(@Param('id') id: string, @Query() query: unknown, @Res() response: Response) {
    const { format } = parseInput(ReportQuerySchema, query, 'query');
    const report = await campaignReport(this.db, await this.find(id));
    if (format === 'csv') return this.sendReportCsv(response, report);
    response.setHeader('cache-control', 'no-store');
    response.json(report);
  }

  @Get(':id/report.csv')
  @RequireScope('campaigns')
  async reportCsv(@Param('id') id: string, @Res() response: Response) {
    const report = await campaignReport(this.db, await this.find(id));
    return this.sendReportCsv(response, report);
  }

  private sendReportCsv(response: Response, report: Awaited<ReturnType<typeof campaignReport>>) {
    return streamCsv(response, {
      filename: `campaign-${report.campaignId}-report.csv`,
      header: REPORT_CSV_HEADER,
      lines: (async function* () {
        yield* reportCsvLines(report);
      })(),
    });
  }

  @Post(':id/schedule')
  @RequireScope('campaigns')
  @HttpCode(200)
  async schedule(@Param('id') id: string, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    const input = parseInput(ScheduleCampaignSchema, body);
    await scheduleCampaign(this.db, { id: parseInput(IdSchema, id, 'path'), input, actor: caller.actor });
    return this.view(id);
  }

  @Post(':id/pause')
  @RequireScope('campaigns')
  @HttpCode(200)
  pause(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    return this.change(id, 'pause', caller);
  }

  @Post(':id/resume')
  @RequireScope('campaigns')
  @HttpCode(200)
  resume(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    return this.change(id, 'resume', caller);
  }

  @Post(':id/cancel')
  @RequireScope('campaigns')
  @HttpCode(200)
  cancel(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    return this.change(id, 'cancel', caller);
  }

  @Post(':id/preview')
  @RequireScope('campaigns', { reads: true })
  @HttpCode(200)
  async preview(@Param('id') id: string, @Body() body: unknown) {
    const { contactId } = parseInput(PreviewCampaignSchema, body);
    return previewCampaign(
      {
        db: this.db,
        renderer: this.renderer,
        sampleSystem: this.sampleSystem,
        keys: this.keys,
        publicWebUrl: this.env.PUBLIC_WEB_URL,
      },
      { id: parseInput(IdSchema, id, 'path'), contactId },
    );
  }

  @Post(':id/test-send')
  @RequireScope('campaigns')
  @HttpCode(202)
  async testSend(@Param('id') id: string, @Body() body: unknown) {
    const { email } = parseInput(TestSendSchema, body);
    return testSendCampaign(
      { db: this.db, queue: this.queue },
      { id: parseInput(IdSchema, id, 'path'), email },
    );
  }

  private async change(id: string, action: CampaignAction, caller: Caller) {
    await changeCampaignStatus(this.db, {
      id: parseInput(IdSchema, id, 'path'),
      action,
      actor: caller.actor,
    });
    return this.view(id);
  }

  private find(id: string) {
    return readCampaign(this.db, parseInput(IdSchema, id, 'path'));
  }

  private async view(id: string) {
    const campaign = await this.find(id);
    const counts = await campaignCounts(this.db, [campaign.id]);
    return toCampaignView(campaign, counts.get(campaign.id), this.env);
  }

  private prepareDeps() {
    return {
      db: this.db,
      templates: this.templates,
      renderer: this.renderer,
      sampleSystem: this.sampleSystem,
    };
  }
}
