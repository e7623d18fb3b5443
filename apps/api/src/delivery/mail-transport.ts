import nodemailer from 'nodemailer';

export type MailTransport = ReturnType<typeof createMailTransport>;

/**
 * One pooled SMTP transport: one per stream and relay of a worker process (mail-lanes.ts). It signs
 * nothing itself: the DKIM key goes with each message (its sender, mail-sender.ts), so promotional
 * and transactional mail can share a relay's connections and still be signed with their own keys.
 */
export function createMailTransport({ url, connections }: { url: string; connections: number }) {
  return nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
    // nodemailer waits 2 minutes for a connection by default: a relay that has gone silent would hold
    // every send that long before the circuit breaker could count it.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
  });
}
