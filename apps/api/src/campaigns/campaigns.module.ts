import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import { CampaignsController } from './campaigns.controller.js';

/** The campaigns API. Fan-out and sending are the workers' (src/scheduler, campaign-batch.processor). */
@Module({
  imports: [BullModule.registerQueue({ name: DELIVERY_QUEUE })],
  controllers: [CampaignsController],
})
export class CampaignsModule {}
