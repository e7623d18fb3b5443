import { type DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import { CoreModule } from './core/core.module.js';
import { WORKER_ENV } from './core/env.token.js';
import { CAMPAIGN_QUEUE } from './campaigns/campaign-queue.js';
import { DeliveryContext } from './delivery/delivery-context.js';
import { DELIVERY_QUEUE, deliveryQueueOptions } from './delivery/delivery-queue.js';
import { DeliveryProcessor } from './delivery/delivery.processor.js';
import { ReconcilerService } from './delivery/reconciler.service.js';
import { InboundSmtpService } from './inbound/inbound-smtp.service.js';
import { PolicyWorkerModule } from './policies/policy-worker.module.js';
import { campaignWorkerProviders } from './scheduler/campaign-worker-providers.js';

@Module({})
export class WorkerModule {
  static forRoot(env: WorkerEnv): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot({
          env,
          envToken: WORKER_ENV,
          maxConnections: Math.min(20, env.WORKER_CONCURRENCY + 2),
        }),
        BullModule.forRoot(deliveryQueueOptions(env)),
        BullModule.registerQueue({ name: DELIVERY_QUEUE }, { name: CAMPAIGN_QUEUE }),
        PolicyWorkerModule,
      ],
      providers: [
        DeliveryContext,
        DeliveryProcessor,
        ReconcilerService,
        InboundSmtpService,
        ...campaignWorkerProviders,
      ],
    };
  }
}
