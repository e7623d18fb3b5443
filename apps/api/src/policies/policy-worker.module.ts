import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { POLICY_QUEUE } from './policy-queue.js';
import { PolicySweepService } from './policy-sweep.service.js';

/**
 * The worker's half of policy announcements: the fan-out, later contacts, retries, at-risk marking.
 * The emails go on the bulk delivery queue (registered once for the worker, worker-queues.module.ts).
 */
@Module({
  imports: [BullModule.registerQueue({ name: POLICY_QUEUE })],
  providers: [PolicySweepService],
})
export class PolicyWorkerModule {}
