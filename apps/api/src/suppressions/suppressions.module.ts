import { Module } from '@nestjs/common';
import { FeedbackReportsController } from './feedback-reports.controller.js';
import { SuppressionsController } from './suppressions.controller.js';

@Module({ controllers: [SuppressionsController, FeedbackReportsController] })
export class SuppressionsModule {}
