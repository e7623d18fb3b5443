import { Module } from '@nestjs/common';
import { WebhookDispatcherService } from './webhook-dispatcher.service.js';

/** The worker's webhook delivery loop (webhook-dispatcher.service.ts). */
@Module({ providers: [WebhookDispatcherService] })
export class WebhookWorkerModule {}
