import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import { POLICY_QUEUE } from './policy-queue.js';
import { PolicySweepService } from './policy-sweep.service.js';

/** The worker's half of policy announcements: the fan-out, later contacts, retries, at-risk marking. */
@Module({
  imports: [BullModule.registerQueue({ name: POLICY_QUEUE }, { name: DELIVERY_QUEUE })],
  providers: [PolicySweepService],
})
export class PolicyWorkerModule {}
