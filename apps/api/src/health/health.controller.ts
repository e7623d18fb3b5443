import { Controller, Get, Inject, Res } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Db } from '@herald/db';
import type { Queue } from 'bull';
import type { Response } from 'express';
import { PRISMA } from '../core/injection-tokens.js';
import { DELIVERY_QUEUE } from '../delivery/delivery-queue.js';

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);

/** Liveness and readiness without auth: whether PostgreSQL and Redis answer. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response) {
    const [database, redis] = await Promise.all([
      within(this.db.$queryRaw`SELECT 1`, 2000).then(
        () => 'ok',
        () => 'unreachable',
      ),
      within(this.queue.client.ping(), 2000).then(
        () => 'ok',
        () => 'unreachable',
      ),
    ]);
    const ok = database === 'ok' && redis === 'ok';
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', database, redis };
  }
}
