import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Post, Query } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { ApiEnv } from '@herald/config';
import type { Db } from '@herald/db';
import { sampleSystemVariables, type TemplateRenderer } from '@herald/templates';
import type { Queue } from 'bull';
import { RequireScope } from '../core/require-scope.decorator.js';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { API_ENV, TEMPLATES, PRISMA, SIGNING_KEYS, TEMPLATE_RENDERER } from '../core/injection-tokens.js';
import type { SigningKey } from '@herald/preferences';
import type { TemplateCache } from '../templates/template-cache.js';
import { parseInput } from '../core/parse-input.js';
import { DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import { checkSendScope } from './check-send-scope.js';
import { listMessages } from './list-messages.js';
import { toMessageView } from './message-view.js';
import { readMessage } from './read-message.js';
import { IdSchema, ListMessagesSchema, SendMessageBatchSchema, SendMessageSchema } from '@herald/contract';
import { sendMessage, type SendMessageDeps } from './send-message.js';
import { sendMessageBatch } from './send-message-batch.js';
import { type CheckedSend, type StoreOutcome, storeMessages } from './store-messages.js';
import { coalesceCalls } from '../core/coalesce-calls.js';

/** Group commits running at once (each holds a database connection for its transaction). */
const COMMITS_IN_FLIGHT = 2;
/** Sends in one group commit at most. */
const MAX_GROUP = 200;

@Controller('v1/messages')
export class MessagesController {
  private readonly logger = new Logger('MessagesController');

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(TEMPLATE_RENDERER) private readonly renderer: TemplateRenderer,
    @Inject(API_ENV) env: ApiEnv,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
    @Inject(TEMPLATES) private readonly templates: TemplateCache,
    @Inject(SIGNING_KEYS) private readonly keys: SigningKey[],
  ) {
    this.publicWebUrl = env.PUBLIC_WEB_URL;
    this.sampleSystem = sampleSystemVariables({
      publicWebUrl: env.PUBLIC_WEB_URL,
      postalAddress: env.HERALD_POSTAL_ADDRESS,
    });
    // Group commit: the single sends that arrive while earlier ones are being stored go together,
    // one transaction and one addBulk for all of them (store-messages.ts). At a trickle each send
    // goes at once, alone; under load the groups grow with it (decision 015).
    this.commit = coalesceCalls((sends: CheckedSend[]) => storeMessages(this.sendDeps(), sends), {
      concurrency: COMMITS_IN_FLIGHT,
      maxBatch: MAX_GROUP,
    });
  }

  private readonly sampleSystem: ReturnType<typeof sampleSystemVariables>;
  private readonly publicWebUrl: string;
  private readonly commit: (send: CheckedSend) => Promise<StoreOutcome>;

  @Post()
  @RequireScope('messages:send', { narrower: 'sign-in:send' })
  @HttpCode(202)
  async send(@Body() body: unknown, @CurrentCaller() caller: Caller) {
    const input = parseInput(SendMessageSchema, body);
    checkSendScope(caller, input, this.publicWebUrl);
    const { id, status } = await sendMessage(this.sendDeps(), this.commit, input);
    return { id, status };
  }

  /** Only `messages:send`: the web app's narrow `sign-in:send` key sends its mails one by one. */
  @Post('batch')
  @RequireScope('messages:send')
  @HttpCode(200)
  async sendBatch(@Body() body: unknown) {
    const { messages } = parseInput(SendMessageBatchSchema, body);
    return { results: await sendMessageBatch(this.sendDeps(), messages) };
  }

  private sendDeps(): SendMessageDeps {
    return {
      db: this.db,
      templates: this.templates,
      queue: this.queue,
      renderer: this.renderer,
      sampleSystem: this.sampleSystem,
      keys: this.keys,
      log: (m) => this.logger.warn(m),
    };
  }

  @Get(':id')
  @RequireScope('messages:read')
  async read(@Param('id') id: string) {
    return toMessageView(await readMessage(this.db, parseInput(IdSchema, id, 'path')));
  }

  @Get()
  @RequireScope('messages:read')
  async list(@Query() query: unknown) {
    const { messages, next } = await listMessages(this.db, parseInput(ListMessagesSchema, query, 'query'));
    return { messages: messages.map(toMessageView), next };
  }
}
