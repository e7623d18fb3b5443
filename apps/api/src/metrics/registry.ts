import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '@herald/db';
import type Bull from 'bull';
import { within } from '../core/within.js';
import type { SmtpBreakerState } from '../delivery/smtp-circuit-breaker.js';

/**
 * A scrape-time read waits at most this long: with Redis or PostgreSQL away, its gauge is left out of
 * that scrape and the rest is still served (the counters, the breaker states).
 */
const COLLECT_TIMEOUT_MS = 1000;

/** Runs a gauge's read, bounded in time; a failure leaves the gauge empty for this scrape. */
async function bounded(read: () => Promise<void>, what: string): Promise<void> {
  try {
    await within(read(), COLLECT_TIMEOUT_MS, what);
  } catch {
    collectFailures.inc({ metric: what });
  }
}

/**
 * Herald's Prometheus metrics, one registry per process. Labels are low-cardinality only: a class,
 * a stream, an outcome, a queue, a source, a kind; never a contact, an address or a message id.
 * Counters and histograms are updated where the events happen; the gauges are read at scrape time
 * (`collect`), each with a bounded cost (Bull's job counts, one LINDEX and one HGET per queue, one
 * query over the campaigns that are sending).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'herald_' });

/** What the scrape-time gauges read; set by the process that serves /metrics (metrics.module.ts). */
export interface MetricSources {
  queues: Bull.Queue[];
  db?: Db;
  /** The circuit breakers of this worker's SMTP relays, by stream and relay. */
  breakers?: { stream: string; relay: string; state: () => SmtpBreakerState }[];
}

let sources: MetricSources = { queues: [] };

export function useMetricSources(next: MetricSources): void {
  sources = next;
}

const collectFailures = new Counter({
  name: 'herald_metrics_collect_failures_total',
  help: 'Scrape-time reads that failed or took too long (Redis or PostgreSQL away), by the metric left out.',
  labelNames: ['metric'] as const,
  registers: [metricsRegistry],
});

export const deliveryOutcomes = new Counter({
  name: 'herald_delivery_outcomes_total',
  help: 'Outcomes the worker recorded for claimed messages, by message class, stream (transactional, bulk, campaign) and outcome (the event: sent, bounced, failed, suppressed, deferred, parked, …).',
  labelNames: ['class', 'stream', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const sendLatency = new Histogram({
  name: 'herald_send_latency_seconds',
  help: 'From the enqueue of a single send (its Bull job) to the SMTP server’s reply, by message class and stream.',
  labelNames: ['class', 'stream'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
  registers: [metricsRegistry],
});

export const smtpReplies = new Counter({
  name: 'herald_smtp_replies_total',
  help: 'SMTP replies to messages sent, by how they were classified (accepted, hard-bounce, blocked, permanent, temporary, …; no-reply: the relay could not be reached).',
  labelNames: ['class', 'reply'] as const,
  registers: [metricsRegistry],
});

export const consentWrites = new Counter({
  name: 'herald_consent_writes_total',
  help: 'Consent changes this process wrote (each with its consent-log rows), by source (mailto, admin, api, bounce, complaint, …).',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});

export const feedbackReports = new Counter({
  name: 'herald_feedback_reports_total',
  help: 'Bounce, complaint and delivery reports received (duplicates excluded), by kind.',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'paused'] as const;

new Gauge({
  name: 'herald_queue_jobs',
  help: 'Jobs in each Bull queue, by state (waiting, active, delayed, failed, paused).',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    await bounded(async () => {
      await Promise.all(
        sources.queues.map(async (queue) => {
          const counts = (await queue.getJobCounts()) as unknown as Record<string, number>;
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    }, 'herald_queue_jobs');
  },
});

new Gauge({
  name: 'herald_queue_oldest_waiting_seconds',
  help: 'Age of the oldest job waiting in each Bull queue (0 when none waits).',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    await bounded(async () => {
      await Promise.all(
        sources.queues.map(async (queue) => {
          this.set({ queue: queue.name }, await oldestWaitingSeconds(queue));
        }),
      );
    }, 'herald_queue_oldest_waiting_seconds');
  },
});

/**
 * Bull pushes waiting jobs at the list's head (LPUSH) and takes them from its tail: the tail is the
 * oldest. One LINDEX and one HGET, whatever the queue's length.
 */
async function oldestWaitingSeconds(queue: Bull.Queue): Promise<number> {
  const id = await queue.client.lindex(queue.toKey('wait'), -1);
  if (!id) return 0;
  const timestamp = Number(await queue.client.hget(queue.toKey(id), 'timestamp'));
  return Number.isFinite(timestamp) && timestamp > 0 ? Math.max(0, (Date.now() - timestamp) / 1000) : 0;
}

const BREAKER_STATES: SmtpBreakerState[] = ['closed', 'half-open', 'open'];

new Gauge({
  name: 'herald_smtp_breaker_state',
  help: 'The SMTP circuit breaker of each stream and relay: 1 for its current state (closed, half-open, open), 0 for the others.',
  labelNames: ['stream', 'relay', 'state'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const breaker of sources.breakers ?? []) {
      const current = breaker.state();
      for (const state of BREAKER_STATES)
        this.set({ stream: breaker.stream, relay: breaker.relay, state }, state === current ? 1 : 0);
    }
  },
});

new Gauge({
  name: 'herald_campaigns',
  help: 'Campaigns by status.',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    const { db } = sources;
    if (!db) return;
    await bounded(async () => {
      const rows = await db.$queryRaw<{ status: string; n: number }[]>`
        SELECT status::text, count(*)::int AS n FROM campaigns GROUP BY status`;
      for (const row of rows) this.set({ status: row.status }, row.n);
    }, 'herald_campaigns');
  },
});

/**
 * Campaign progress: what each campaign under way (sending or paused) targeted, read from its row.
 * What has gone out is the campaign stream's outcomes (herald_delivery_outcomes_total{stream="campaign"});
 * counting a campaign's messages by status at each scrape would read up to a million index entries.
 * Labelled by campaign id: only campaigns under way, a handful at any time.
 */
new Gauge({
  name: 'herald_campaign_targeted_messages',
  help: 'Messages each sending or paused campaign targeted (created by its fan-out so far).',
  labelNames: ['campaign', 'status'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    const { db } = sources;
    if (!db) return;
    await bounded(async () => {
      const rows = await db.$queryRaw<{ id: string; status: string; targeted: number }[]>`
        SELECT id::text, status::text, targeted FROM campaigns WHERE status IN ('sending', 'paused')`;
      for (const row of rows) this.set({ campaign: row.id, status: row.status }, row.targeted);
    }, 'herald_campaign_targeted_messages');
  },
});
