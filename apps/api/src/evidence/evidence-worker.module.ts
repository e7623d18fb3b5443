import { Module } from '@nestjs/common';
import { EvidenceAnchorService } from './evidence-anchor.service.js';

/** The worker's half of the tamper-evident consent log: the signed anchors. */
@Module({ providers: [EvidenceAnchorService] })
export class EvidenceWorkerModule {}
