import { Module } from '@nestjs/common';
import { DeliveryWorkerModule } from '../delivery/delivery-worker.module.js';
import { CampaignBatchProcessor } from './campaign-batch.processor.js';
import { CampaignSchedulerService } from './campaign-scheduler.service.js';

/** The worker's half of campaigns: the scheduler (claims, fan-out, finishing) and the batch sends. */
@Module({
  imports: [DeliveryWorkerModule],
  providers: [CampaignBatchProcessor, CampaignSchedulerService],
})
export class CampaignWorkerModule {}
