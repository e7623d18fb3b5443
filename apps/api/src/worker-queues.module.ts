import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { CAMPAIGN_QUEUE } from './campaigns/campaign-queue.js';
import { BULK_DELIVERY_QUEUE, DELIVERY_QUEUE } from './delivery/delivery-queue.js';

const queues = BullModule.registerQueue(
  { name: DELIVERY_QUEUE },
  { name: BULK_DELIVERY_QUEUE },
  { name: CAMPAIGN_QUEUE },
);

/**
 * One connection set per queue for the whole worker: the processors and the scheduler that closes
 * the queues at shutdown must hold the same Queue objects.
 */
@Global()
@Module({ imports: [queues], exports: [queues] })
export class WorkerQueuesModule {}
