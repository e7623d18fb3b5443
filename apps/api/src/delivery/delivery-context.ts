import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { SigningKey } from '@herald/preferences';
import type { TemplateRenderer } from '@herald/templates';
import type { Queue } from 'bull';
import { PRISMA, SIGNING_KEYS, TEMPLATE_RENDERER, TEMPLATES, WORKER_ENV } from '../core/injection-tokens.js';
import { CAMPAIGN_GATE, type CampaignGate } from '../campaigns/campaign-gate.js';
import { CAMPAIGN_QUEUE } from '../campaigns/campaign-queue.js';
import type { TemplateCache } from '../templates/template-cache.js';
import { readSentMarks } from '../worker-recovery/sent-marks.js';
import { WORKER_LEASE, type WorkerLeaseHolder } from '../worker-recovery/worker-lease-holder.js';
import type { DeliveryDeps } from './delivery-deps.js';
import type { DeliveryStream } from './delivery-queue.js';
import { createDeliveryStore } from './delivery-store.js';
import { createMailTransport, type MailTransport } from './mail-transport.js';
import { createSendSlots } from './send-slots.js';
import type { SmtpCircuitBreaker } from './smtp-circuit-breaker.js';
import { watchSmtpCircuitBreaker } from './smtp-circuit-breaker-watch.js';
import { smtpStatusKey } from './smtp-status-key.js';

/**
 * What every send in this worker shares, whichever job it comes from: one batched store, the template
 * cache, the campaign gate, the lease. Each stream (delivery-queue.ts) has its own send slots and its
 * own pooled SMTP transport, so bulk mail held up by a throttling server never holds the slots or the
 * connections of transactional mail.
 */
@Injectable()
export class DeliveryContext implements OnApplicationShutdown {
  readonly streams: Record<DeliveryStream, DeliveryDeps>;
  private readonly transports: MailTransport[];
  private readonly breakerWatches: (() => Promise<void>)[] = [];
  private readonly logger = new Logger('SmtpCircuitBreaker');

  constructor(
    @Inject(WORKER_ENV) env: WorkerEnv,
    @Inject(PRISMA) db: Db,
    @Inject(TEMPLATE_RENDERER) renderer: TemplateRenderer,
    @Inject(TEMPLATES) templates: TemplateCache,
    @Inject(SIGNING_KEYS) keys: SigningKey[],
    @Inject(CAMPAIGN_GATE) campaigns: CampaignGate,
    @Inject(WORKER_LEASE) lease: WorkerLeaseHolder,
    @InjectQueue(CAMPAIGN_QUEUE) campaignQueue: Queue,
  ) {
    const bulkTransport = createMailTransport(env);
    const transactionalTransport = createMailTransport({
      ...env,
      SMTP_POOL_SIZE: env.TRANSACTIONAL_SMTP_SLOTS,
    });
    this.transports = [bulkTransport, transactionalTransport];
    const shared = {
      db,
      renderer,
      keys,
      sender: {
        publicWebUrl: env.PUBLIC_WEB_URL,
        mailDomain: env.MAIL_DOMAIN,
        mailFrom: env.MAIL_FROM,
        postalAddress: env.HERALD_POSTAL_ADDRESS,
      },
      templates,
      store: createDeliveryStore(db, {
        staleClaimMs: env.STALE_CLAIM_MS,
        workerId: () => lease.workerId,
        sentMarks: (workerId) => readSentMarks(campaignQueue.client, env.HERALD_QUEUE_PREFIX, workerId),
        guardrails: env,
      }),
      campaigns,
      lease,
    };
    // One breaker per stream: each has its own connections, and a stream whose relay is down holds its mail.
    const breaker = (stream: DeliveryStream, transport: MailTransport): SmtpCircuitBreaker => {
      const watch = watchSmtpCircuitBreaker({
        threshold: env.SMTP_BREAKER_THRESHOLD,
        probeMs: env.SMTP_BREAKER_PROBE_MS,
        transport,
        redis: campaignQueue.client,
        key: smtpStatusKey(env.HERALD_QUEUE_PREFIX, stream),
        onError: (error) => this.logger.warn(`${stream}: ${error.message}`),
      });
      this.breakerWatches.push(watch.stop);
      return watch.breaker;
    };
    this.streams = {
      transactional: {
        ...shared,
        transport: transactionalTransport,
        sendSlots: createSendSlots(env.TRANSACTIONAL_SMTP_SLOTS),
        smtp: breaker('transactional', transactionalTransport),
      },
      bulk: {
        ...shared,
        transport: bulkTransport,
        // One slot per connection, like the transactional stream: a message that has a slot starts
        // SMTP as soon as its consent and campaign are re-read, so an opt-out, pause or cancel that
        // answered is never overtaken by a message waiting in the pool behind a slow transaction.
        sendSlots: createSendSlots(env.SMTP_POOL_SIZE),
        smtp: breaker('bulk', bulkTransport),
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.breakerWatches.map((stop) => stop()));
    for (const transport of this.transports) transport.close();
  }
}
