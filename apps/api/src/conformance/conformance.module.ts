import { Module } from '@nestjs/common';
import { ConformanceController } from './conformance.controller.js';

@Module({ controllers: [ConformanceController] })
export class ConformanceModule {}
