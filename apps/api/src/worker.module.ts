import { type DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import { CampaignWorkerModule } from './campaigns/campaign-worker.module.js';
import { CoreModule } from './core/core.module.js';
import { WORKER_ENV } from './core/injection-tokens.js';
import { deliveryQueueOptions } from './delivery/delivery-queue.js';
import { EvidenceWorkerModule } from './evidence/evidence-worker.module.js';
import { DeliveryWorkerModule } from './delivery/delivery-worker.module.js';
import { ImportWorkerModule } from './imports/import-worker.module.js';
import { InboundSmtpService } from './inbound/inbound-smtp.service.js';
import { PolicyWorkerModule } from './policies/policy-worker.module.js';
import { WebhookWorkerModule } from './webhooks/webhook-worker.module.js';
import { WorkerQueuesModule } from './worker-queues.module.js';

@Module({})
export class WorkerModule {
  static forRoot(env: WorkerEnv): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot({
          env,
          envToken: WORKER_ENV,
          maxConnections: Math.min(20, env.WORKER_CONCURRENCY + env.TRANSACTIONAL_CONCURRENCY + 2),
        }),
        BullModule.forRoot(deliveryQueueOptions(env)),
        WorkerQueuesModule,
        DeliveryWorkerModule,
        CampaignWorkerModule,
        PolicyWorkerModule,
        WebhookWorkerModule,
        ImportWorkerModule,
        EvidenceWorkerModule,
      ],
      providers: [InboundSmtpService],
    };
  }
}
