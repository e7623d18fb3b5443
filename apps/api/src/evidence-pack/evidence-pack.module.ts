import { Module } from '@nestjs/common';
import { EvidencePackController } from './evidence-pack.controller.js';

@Module({ controllers: [EvidencePackController] })
export class EvidencePackModule {}
