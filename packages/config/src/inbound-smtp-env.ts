import { z } from 'zod';

/**
 * The worker's inbound SMTP listener (mailto unsubscribes, bounce and complaint reports). Anyone
 * who can reach it may talk to it without authenticating, so what it exposes is explicit: the
 * loopback interface unless an address is named, a bounded number of clients, an idle limit, and
 * STARTTLS only with a certificate of the operator's own.
 */
export const inboundSmtpEnv = {
  /** The listener's port; off when unset. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * The address it binds. Loopback by default: behind a relay, name the address the relay reaches
   * (or 0.0.0.0 for every interface when the MX points at the worker itself).
   */
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** Clients connected at once; the next is answered 421 and disconnected. */
  INBOUND_SMTP_MAX_CLIENTS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** A client silent this long is answered 421 and disconnected. */
  INBOUND_SMTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  /** PEM certificate (chain) file offered with STARTTLS; with INBOUND_SMTP_TLS_KEY, or neither. */
  INBOUND_SMTP_TLS_CERT: z.string().min(1).optional(),
  /** PEM private key file of INBOUND_SMTP_TLS_CERT. */
  INBOUND_SMTP_TLS_KEY: z.string().min(1).optional(),
};

/** A certificate without its key (or the reverse) is a mistake to report at start-up, not a listener without TLS. */
export function requireInboundTlsPair(
  env: { INBOUND_SMTP_TLS_CERT?: string | undefined; INBOUND_SMTP_TLS_KEY?: string | undefined },
  context: z.RefinementCtx,
): void {
  const [present, missing] = env.INBOUND_SMTP_TLS_CERT
    ? ['INBOUND_SMTP_TLS_CERT', 'INBOUND_SMTP_TLS_KEY']
    : ['INBOUND_SMTP_TLS_KEY', 'INBOUND_SMTP_TLS_CERT'];
  if ((env.INBOUND_SMTP_TLS_CERT === undefined) === (env.INBOUND_SMTP_TLS_KEY === undefined)) return;
  context.addIssue({
    code: 'custom',
    path: [missing],
    message: `is required with ${present}: STARTTLS needs the certificate and its private key (PEM files)`,
  });
}
