import { Module } from '@nestjs/common';
import { TemplateLocalesController } from './template-locales.controller.js';
import { TemplatesController } from './templates.controller.js';

@Module({ controllers: [TemplatesController, TemplateLocalesController] })
export class TemplatesModule {}
