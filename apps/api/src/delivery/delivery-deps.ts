import type { Db } from '@herald/db';
import type { SigningKey } from '@herald/preferences';
import type { TemplateRenderer } from '@herald/templates';
import type { CampaignGate } from '../campaigns/campaign-gate.js';
import type { TemplateCache } from '../templates/template-cache.js';
import type { WorkerLeaseHolder } from '../worker-recovery/worker-lease-holder.js';
import type { DeliveryStore } from './delivery-store.js';
import type { MailSender } from './mail-sender.js';
import type { MailTransport } from './mail-transport.js';
import type { SendSlots } from './send-slots.js';
import type { SmtpCircuitBreaker } from './smtp-circuit-breaker.js';

/** What a delivery needs: one per stream in a worker, built once by DeliveryContext. */
export interface DeliveryDeps {
  db: Db;
  store: DeliveryStore;
  renderer: TemplateRenderer;
  transport: Pick<MailTransport, 'sendMail'>;
  keys: SigningKey[];
  sender: MailSender;
  templates: Pick<TemplateCache, 'version' | 'variants'>;
  campaigns: CampaignGate;
  lease: WorkerLeaseHolder;
  /**
   * At most this many messages of the stream are rendered and handed to SMTP at once: enough to keep
   * every pooled connection busy, few enough that a big batch does not sit rendered in memory.
   */
  sendSlots: SendSlots;
  /** The stream's SMTP circuit breaker: while the relay cannot be reached, its mail is held. */
  smtp: SmtpCircuitBreaker;
  /**
   * What each message class is sent through on this stream (select-lane.ts): promotional mail has its
   * own relay, sender, key, send slots and breaker where configured (mail-lanes.ts).
   */
  lanes?: Record<'transactional' | 'promotional', MailLane>;
  /** Which stream these deps send for: the metrics' `stream` label (metrics/count-deliveries.ts). */
  stream?: 'transactional' | 'bulk' | 'campaign';
}

/** The part of a stream that depends on the message class: relay connections, slots, breaker, sender. */
export type MailLane = Pick<DeliveryDeps, 'transport' | 'sendSlots' | 'smtp' | 'sender'>;

export type DeliveryResult =
  | { outcome: 'skipped' }
  | { outcome: 'sent' | 'suppressed' | 'bounced' | 'failed'; reason?: string }
  | { outcome: 'retry'; reason: string }
  /**
   * Left queued, unsent, without using an attempt: nothing was tried, and the reason is not the
   * message's (the SMTP relay cannot be reached, smtp-circuit-breaker.ts; the worker is stopping or
   * lost its lease). `delayMs`: how long the job waits, else the breaker's (or a stopping worker's) wait.
   */
  | { outcome: 'held'; reason: string; delayMs?: number }
  /** Left queued, unsent: its campaign is paused (the scheduler enqueues it again on resume). */
  | { outcome: 'parked'; reason: string };
