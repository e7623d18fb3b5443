import type { WorkerEnv } from '@herald/config';
import nodemailer from 'nodemailer';

export type MailTransport = ReturnType<typeof createMailTransport>;

/** One pooled SMTP transport per worker process; DKIM signing when a key is configured. */
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
    ...(dkim && { dkim }),
  });
}
