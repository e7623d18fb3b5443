import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { Db } from '@herald/db';
import { RequireScope } from '../core/require-scope.decorator.js';
import { IdSchema, ListNoticesSchema } from '@herald/contract';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { acknowledgeNotice } from './acknowledge-notice.js';
import { listContactNotices } from './list-contact-notices.js';

/** In-app notices: the policy's "post a notice", shown on the account page until acknowledged. */
@Controller('v1/contacts/:contactId/notices')
export class NoticesController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Get()
  @RequireScope('notices')
  async list(@Param('contactId') contactId: string, @Query() query: unknown) {
    const { pending } = parseInput(ListNoticesSchema, query, 'query');
    const notices = await listContactNotices(this.db, {
      contactId: parseInput(IdSchema, contactId, 'path'),
      ...(pending !== undefined && { pending }),
    });
    return { notices };
  }

  @Post(':noticeId/ack')
  @RequireScope('notices')
  @HttpCode(200)
  async acknowledge(@Param('contactId') contactId: string, @Param('noticeId') noticeId: string) {
    return acknowledgeNotice(this.db, {
      contactId: parseInput(IdSchema, contactId, 'path'),
      noticeId: parseInput(IdSchema, noticeId, 'path'),
    });
  }
}
