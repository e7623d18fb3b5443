import { Module } from '@nestjs/common';
import { campaignGateProvider } from '../campaigns/campaign-gate.provider.js';
import { workerLeaseProvider } from '../worker-recovery/worker-lease.provider.js';
import { WORKER_LEASE } from '../worker-recovery/worker-lease-holder.js';
import { DeliveryContext } from './delivery-context.js';
import { DeliveryProcessor } from './delivery.processor.js';
import { ReconcilerService } from './reconciler.service.js';

/**
 * The worker's send path: single-message jobs, the reconciler, and the context every send shares
 * (campaign batches use it too). The worker's lease lives here because every send checks it.
 */
@Module({
  providers: [
    workerLeaseProvider,
    campaignGateProvider,
    DeliveryContext,
    DeliveryProcessor,
    ReconcilerService,
  ],
  exports: [DeliveryContext, WORKER_LEASE],
})
export class DeliveryWorkerModule {}
