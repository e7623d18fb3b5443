import { Controller, Get, Inject, Res } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { ApiEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { Queue } from 'bull';
import type { Response } from 'express';
import { API_ENV, PRISMA } from '../core/injection-tokens.js';
import { within } from '../core/within.js';
import { DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import { readSmtpStatus } from './read-smtp-status.js';
import { PublicRoute } from '../core/require-scope.decorator.js';

/** A load balancer gives up on a probe after a few seconds: answer well within that. */
const PROBE_MS = 800;

type Reachability = 'ok' | 'unreachable';

/**
 * Liveness and readiness without auth: whether PostgreSQL and Redis answer. 503 while either does
 * not, naming which, so an operator (and a load balancer) sees the dependency that is down. While
 * the workers cannot reach the SMTP relay (their circuit breakers are open), the answer is still 200,
 * since this API accepts messages and they are held, not lost, but it says `status: "degraded"`,
 * `smtp: "unavailable"` and since when (`smtpUnavailableSince`); for the promotional relay
 * (PROMOTIONAL_SMTP_URL), `promotionalSmtp: "unavailable"` and `promotionalSmtpUnavailableSince`.
 */
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response) {
    const [database, redis, smtp] = await Promise.all([
      this.database(),
      this.redis(),
      readSmtpStatus(this.queue.client, this.env.HERALD_QUEUE_PREFIX, PROBE_MS),
    ]);
    const ok = database === 'ok' && redis === 'ok';
    response.status(ok ? 200 : 503);
    const relays = {
      ...(smtp?.transactional && { smtp: 'unavailable', smtpUnavailableSince: smtp.transactional }),
      ...(smtp?.promotional && {
        promotionalSmtp: 'unavailable',
        promotionalSmtpUnavailableSince: smtp.promotional,
      }),
    };
    if (Object.keys(relays).length > 0) return { status: 'degraded', database, redis, ...relays };
    return { status: ok ? 'ok' : 'degraded', database, redis };
  }

  private database(): Promise<Reachability> {
    return within(this.db.$queryRaw`SELECT 1`, PROBE_MS).then(
      () => 'ok',
      () => 'unreachable',
    );
  }

  /**
   * A client that is not connected would hold the PING in its offline queue until Redis returns:
   * its connection state already answers the question.
   */
  private async redis(): Promise<Reachability> {
    const client = this.queue.client;
    if (client.status !== 'ready' && client.status !== 'connect' && client.status !== 'wait')
      return 'unreachable';
    return within(client.ping(), PROBE_MS).then(
      () => 'ok',
      () => 'unreachable',
    );
  }
}
