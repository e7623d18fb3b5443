import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { ApiEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { TemplateRenderer } from '@herald/templates';
import type { Queue } from 'bull';
import { notFound } from '../core/api-error.js';
import { ApiKeyGuard } from '../core/api-key.guard.js';
import { IdSchema } from '../core/common-schemas.js';
import { API_ENV, LATEST_TEMPLATES, PRISMA, TEMPLATE_RENDERER } from '../core/injection-tokens.js';
import type { LatestTemplateCache } from '../templates/latest-template-cache.js';
import { parseInput } from '../core/parse-input.js';
import { DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import { sampleSystemVariables } from '../templates/system-variables.js';
import { toMessageView } from './message-view.js';
import { ListMessagesSchema, SendMessageSchema } from './messages.schemas.js';
import { sendMessage } from './send-message.js';

@Controller('v1/messages')
@UseGuards(ApiKeyGuard)
export class MessagesController {
  private readonly logger = new Logger('MessagesController');

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(TEMPLATE_RENDERER) private readonly renderer: TemplateRenderer,
    @Inject(API_ENV) env: ApiEnv,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
    @Inject(LATEST_TEMPLATES) private readonly templates: LatestTemplateCache,
  ) {
    this.sampleSystem = sampleSystemVariables({
      publicWebUrl: env.PUBLIC_WEB_URL,
      postalAddress: env.HERALD_POSTAL_ADDRESS,
    });
  }

  private readonly sampleSystem: ReturnType<typeof sampleSystemVariables>;

  @Post()
  @HttpCode(202)
  async send(@Body() body: unknown) {
    const input = parseInput(SendMessageSchema, body);
    const { id, status } = await sendMessage(
      {
        db: this.db,
        templates: this.templates,
        queue: this.queue,
        renderer: this.renderer,
        sampleSystem: this.sampleSystem,
        log: (m) => this.logger.warn(m),
      },
      input,
    );
    return { id, status };
  }

  @Get(':id')
  async read(@Param('id') id: string) {
    const message = await this.db.message.findUnique({
      where: { id: parseInput(IdSchema, id, 'path') },
      include: { events: { orderBy: { id: 'asc' } }, template: { select: { key: true, version: true } } },
    });
    if (!message) throw notFound('message', id);
    return toMessageView(message);
  }

  @Get()
  async list(@Query() query: unknown) {
    const { contactId, campaignId, status, limit, after } = parseInput(ListMessagesSchema, query, 'query');
    const messages = await this.db.message.findMany({
      where: {
        ...(contactId && { contactId }),
        ...(campaignId && { campaignId }),
        ...(status && { status }),
        ...(after && { id: { lt: after } }),
      },
      orderBy: { id: 'desc' },
      take: limit,
      include: { template: { select: { key: true, version: true } } },
    });
    const last = messages.at(-1);
    return {
      messages: messages.map(toMessageView),
      next: messages.length === limit && last ? last.id : null,
    };
  }
}
