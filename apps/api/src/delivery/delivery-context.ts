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
import { createDeliveryStore, type DeliveryStore } from './delivery-store.js';
import { createDomainThrottle } from './domain-throttle.js';
import { throttleSendSlots } from './domain-throttle-slots.js';
import { joinSendSlots } from './join-send-slots.js';
import { mailSenders } from './mail-sender.js';
import { createMailTransport, type MailTransport } from './mail-transport.js';
import { selectLane } from './select-lane.js';
import { createSendSlots } from './send-slots.js';
import { watchSmtpCircuitBreaker } from './smtp-circuit-breaker-watch.js';
import { smtpStatusKey } from './smtp-status-key.js';

/**
 * What every send in this worker shares, whichever job it comes from: one batched store, the template
 * cache, the campaign gate, the lease. Each stream (delivery-queue.ts) has its own send slots and its
 * own pooled SMTP transport, so bulk mail held up by a throttling server never holds the slots or the
 * connections of transactional mail. Within a stream, the message class picks the lane
 * (select-lane.ts): promotional mail goes from its own sender with its own key and behind the domain
 * throttle, and, with PROMOTIONAL_SMTP_URL, through its own relay on connections, slots and a breaker
 * of its own, so a promotional relay that is down or slow holds neither announcements nor sign-in
 * links. Without PROMOTIONAL_SMTP_URL both classes share the stream's one pool, as before.
 */
@Injectable()
export class DeliveryContext implements OnApplicationShutdown {
  readonly streams: Record<DeliveryStream, DeliveryDeps>;
  /** The bulk stream as campaign batches use it: its promotional lane (their breaker, their relay). */
  readonly campaignBatches: DeliveryDeps;
  /** The one store every stream shares (and its record of claims left behind). */
  readonly store: DeliveryStore;
  private readonly transports: MailTransport[] = [];
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
    const senders = mailSenders(env);
    this.store = createDeliveryStore(db, {
      staleClaimMs: env.STALE_CLAIM_MS,
      workerId: () => lease.workerId,
      sentMarks: (workerId) => readSentMarks(campaignQueue.client, env.HERALD_QUEUE_PREFIX, workerId),
      guardrails: env,
    });
    const shared = {
      db,
      renderer,
      keys,
      templates,
      store: this.store,
      campaigns,
      lease,
    };
    const throttleLog = new Logger('DomainThrottle');
    const throttle =
      Object.keys(env.HERALD_DOMAIN_RATES).length > 0
        ? createDomainThrottle({
            redis: campaignQueue.client,
            keyPrefix: env.HERALD_QUEUE_PREFIX,
            rates: env.HERALD_DOMAIN_RATES,
            onUnavailable: (error) =>
              error
                ? throttleLog.warn(`Redis unavailable, throttled domains held: ${error.message}`)
                : throttleLog.log('Redis answers again, throttled domains go on'),
          })
        : null;
    // One relay per stream and SMTP URL: its pooled connections, one send slot per connection, and a
    // circuit breaker of its own (a stream whose relay is down holds its mail).
    const relay = (stream: DeliveryStream, which: 'transactional' | 'promotional', connections: number) => {
      const url = which === 'promotional' ? (env.PROMOTIONAL_SMTP_URL ?? env.SMTP_URL) : env.SMTP_URL;
      const transport = createMailTransport({ url, connections });
      this.transports.push(transport);
      const name = which === 'promotional' ? `${stream} (promotional relay)` : stream;
      const watch = watchSmtpCircuitBreaker({
        threshold: env.SMTP_BREAKER_THRESHOLD,
        probeMs: env.SMTP_BREAKER_PROBE_MS,
        transport,
        redis: campaignQueue.client,
        key: smtpStatusKey(env.HERALD_QUEUE_PREFIX, stream, which),
        onError: (error) => this.logger.warn(`${name}: ${error.message}`),
      });
      this.breakerWatches.push(watch.stop);
      // One slot per connection: a message that has a slot starts SMTP as soon as its consent and
      // campaign are re-read, so an opt-out, pause or cancel that answered is never overtaken by a
      // message waiting in the pool behind a slow transaction.
      return { transport, sendSlots: createSendSlots(connections), smtp: watch.breaker };
    };
    const stream = (name: DeliveryStream, connections: number): DeliveryDeps => {
      const main = relay(name, 'transactional', connections);
      // No promotional relay: promotional mail shares the stream's connections, slots and breaker.
      const promotional = env.PROMOTIONAL_SMTP_URL ? relay(name, 'promotional', connections) : main;
      const lanes = {
        transactional: { ...main, sender: senders.transactional },
        promotional: {
          ...promotional,
          sendSlots: throttle ? throttleSendSlots(promotional.sendSlots, throttle) : promotional.sendSlots,
          sender: senders.promotional,
        },
      };
      return {
        ...shared,
        ...lanes.transactional,
        // What the shutdown closes (campaign-scheduler.service.ts): every slot of the stream.
        sendSlots: joinSendSlots(main.sendSlots, lanes.promotional.sendSlots),
        lanes,
        stream: name,
      };
    };
    this.streams = {
      transactional: stream('transactional', env.TRANSACTIONAL_SMTP_SLOTS),
      bulk: stream('bulk', env.SMTP_POOL_SIZE),
    };
    this.campaignBatches = { ...selectLane(this.streams.bulk, 'promotional'), stream: 'campaign' };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.breakerWatches.map((stop) => stop()));
    for (const transport of this.transports) transport.close();
  }
}
