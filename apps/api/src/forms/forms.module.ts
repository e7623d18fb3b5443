import { Module } from '@nestjs/common';
import { FormsController } from './forms.controller.js';

@Module({ controllers: [FormsController] })
export class FormsModule {}
