import type { WorkerEnv } from '@herald/config';
import nodemailer from 'nodemailer';

export type MailTransport = ReturnType<typeof createMailTransport>;

/** One pooled SMTP transport per stream of a worker process; DKIM signing when a key is configured. */
export function createMailTransport(env: WorkerEnv) {
  const dkim =
    env.DKIM_DOMAIN && env.DKIM_SELECTOR && env.DKIM_PRIVATE_KEY
      ? { domainName: env.DKIM_DOMAIN, keySelector: env.DKIM_SELECTOR, privateKey: env.DKIM_PRIVATE_KEY }
      : undefined;
  return nodemailer.createTransport({
    url: env.SMTP_URL,
    pool: true,
    maxConnections: env.SMTP_POOL_SIZE,
    maxMessages: Infinity,
    // nodemailer waits 2 minutes for a connection by default: a relay that has gone silent would hold
    // every send that long before the circuit breaker could count it.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    ...(dkim && { dkim }),
  });
}
