import { Module } from '@nestjs/common';
import { DeliveryWorkerModule } from '../delivery/delivery-worker.module.js';
import { CampaignBatchProcessor } from './campaign-batch.processor.js';
import { CampaignGuardrailSweepService } from './campaign-guardrail-sweep.service.js';
import { CampaignSchedulerService } from './campaign-scheduler.service.js';

/**
 * The worker's half of campaigns: the scheduler (claims, fan-out, finishing), the batch sends, and
 * the guardrails' sweep.
 */
@Module({
  imports: [DeliveryWorkerModule],
  providers: [CampaignBatchProcessor, CampaignSchedulerService, CampaignGuardrailSweepService],
})
export class CampaignWorkerModule {}
