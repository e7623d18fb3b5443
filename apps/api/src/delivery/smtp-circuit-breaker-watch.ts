import type { Queue } from 'bull';
import { type PeriodicTask, startPeriodicTask } from '../core/periodic-task.js';
import { within } from '../core/within.js';
import type { MailTransport } from './mail-transport.js';
import {
  createSmtpCircuitBreaker,
  type SmtpBreakerStatus,
  type SmtpCircuitBreaker,
} from './smtp-circuit-breaker.js';

type Redis = Queue['client'];

/** A test connection that has not answered by then counts as a failure; nodemailer gives up later on its own. */
const PROBE_TIMEOUT_MS = 20_000;

/**
 * A stream's circuit breaker with what makes it useful across processes: while it is open, a test
 * connection to the relay (nodemailer's `verify()`: connect, greeting, EHLO, authentication, QUIT)
 * every `probeMs`, the first that answers closing it; and its state written to Redis under `key`
 * (smtp-status-key.ts) at every change and refreshed while open, for the API's /health.
 */
export function watchSmtpCircuitBreaker({
  threshold,
  probeMs,
  transport,
  redis,
  key,
  onError,
}: {
  threshold: number;
  probeMs: number;
  transport: Pick<MailTransport, 'verify'>;
  redis: Redis;
  key: string;
  onError: (error: Error) => void;
}): { breaker: SmtpCircuitBreaker; stop: () => Promise<void> } {
  const tickMs = Math.min(probeMs, 5000);
  // Three refreshes missed (the worker died) and the key is gone.
  const ttlMs = tickMs * 3 + 1000;
  const publish = async (status: SmtpBreakerStatus) => {
    if (status.state === 'closed') {
      await redis.del(key);
      return;
    }
    // NX keeps the earliest start when several workers see the same outage.
    await redis
      .multi()
      .set(key, (status.since ?? new Date()).toISOString(), 'PX', ttlMs, 'NX')
      .pexpire(key, ttlMs)
      .exec();
  };
  const breaker = createSmtpCircuitBreaker({
    threshold,
    probeMs,
    onChange: (status) => void publish(status).catch(onError),
  });
  const probe = async () => {
    breaker.startProbe();
    try {
      await within(transport.verify(), PROBE_TIMEOUT_MS, 'SMTP test connection');
      breaker.recordProbe();
    } catch (error) {
      // A timeout of ours has no reply code: it counts as unreachable, as nodemailer's would.
      breaker.recordProbe(error);
    }
  };
  const task: PeriodicTask = startPeriodicTask({
    intervalMs: tickMs,
    run: async () => {
      if (breaker.probeDue()) await probe();
      if (breaker.holding()) await publish(breaker.status());
    },
    onError,
  });
  return { breaker, stop: () => task.stop() };
}
