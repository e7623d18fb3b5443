import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { POLICY_QUEUE } from './policy-queue.js';
import { PoliciesController } from './policies.controller.js';

/** The API's half of policy announcements: versions, announcing, coverage. */
@Module({
  imports: [BullModule.registerQueue({ name: POLICY_QUEUE })],
  controllers: [PoliciesController],
})
export class PoliciesModule {}
