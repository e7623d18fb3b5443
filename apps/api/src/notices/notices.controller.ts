import { Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { Db } from '@herald/db';
import { ApiKeyGuard } from '../core/api-key.guard.js';
import { IdSchema, ListNoticesSchema } from '@herald/contract';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { acknowledgeNotice } from './acknowledge-notice.js';
import { listContactNotices } from './list-contact-notices.js';

/** In-app notices: the policy's "post a notice", shown on the account page until acknowledged. */
@Controller('v1/contacts/:contactId/notices')
@UseGuards(ApiKeyGuard)
export class NoticesController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Get()
  async list(@Param('contactId') contactId: string, @Query() query: unknown) {
    const { pending } = parseInput(ListNoticesSchema, query, 'query');
    const notices = await listContactNotices(this.db, {
      contactId: parseInput(IdSchema, contactId, 'path'),
      ...(pending !== undefined && { pending }),
    });
    return { notices };
  }

  @Post(':noticeId/ack')
  @HttpCode(200)
  async acknowledge(@Param('contactId') contactId: string, @Param('noticeId') noticeId: string) {
    return acknowledgeNotice(this.db, {
      contactId: parseInput(IdSchema, contactId, 'path'),
      noticeId: parseInput(IdSchema, noticeId, 'path'),
    });
  }
}
