import { Module } from '@nestjs/common';
import { ImportRunnerService } from './import-runner.service.js';

/** The worker's background-import loop (import-runner.service.ts). */
@Module({ providers: [ImportRunnerService] })
export class ImportWorkerModule {}
