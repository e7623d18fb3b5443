import { Module } from '@nestjs/common';
import { FeedbackController } from './feedback.controller.js';

/** POST /v1/feedback. The provider webhooks are hooks/; the inbound listener's reports are inbound/. */
@Module({ controllers: [FeedbackController] })
export class FeedbackModule {}
