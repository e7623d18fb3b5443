import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import { MessagesController } from './messages.controller.js';

@Module({
  imports: [BullModule.registerQueue({ name: DELIVERY_QUEUE })],
  controllers: [MessagesController],
})
export class MessagesModule {}
