import { z } from 'zod';
import { CommonEnvSchema, port, url } from './common-env.js';
import { inboundSmtpEnv, requireInboundTlsPair } from './inbound-smtp-env.js';
import { evidenceKey, requireEvidenceKey } from './evidence-key.js';
import { developmentSecret, requireProductionSecrets } from './production-secrets.js';

/**
 * The key of the address hashes the suppression list and feedback reports are keyed by (HMAC-SHA256).
 * Unlike HERALD_SECRET it never rotates: a new key would hash every address differently, and the
 * suppressions kept under the old one would stop matching. Required, 32 characters or more, in production.
 */
const addressHashKey = developmentSecret('HERALD_ADDRESS_HASH_KEY');

/** What the API and the worker hash: client addresses (salt) and email addresses (key). */
const requireSecrets = requireProductionSecrets(['HERALD_IP_SALT', 'HERALD_ADDRESS_HASH_KEY']);

/** A port of its own for Prometheus metrics (GET /metrics, no key); unset, no metrics are served. */
const metricsPort = z.coerce.number().int().min(1).max(65535).optional();
/**
 * The address the metrics port binds: loopback unless set (0.0.0.0 for a Prometheus in another
 * container or host). The port has no key: keep it reachable only by the scraper.
 */
const metricsHost = z.string().min(1).default('127.0.0.1');

export const ApiEnvSchema = CommonEnvSchema.extend({
  API_PORT: port(3001),
  /** The API's Prometheus metrics on a port of their own, never on API_PORT (metricsPort above). */
  API_METRICS_PORT: metricsPort,
  METRICS_HOST: metricsHost,
  HERALD_ADDRESS_HASH_KEY: addressHashKey,
  HERALD_API_KEY: z
    .string({ error: 'is required: the admin API key callers send as a Bearer token' })
    .min(16, 'must be at least 16 characters'),
  /**
   * The web app's key: the API treats it as a built-in key with only the web's scopes (sign-in:send,
   * notices). Optional; the web app then needs HERALD_API_KEY, and warns that it holds it.
   */
  HERALD_WEB_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Largest JSON body the API accepts. */
  HERALD_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  /** Largest JSON body of POST /v1/messages/batch (up to 1,000 messages): its own limit, above the general one. */
  HERALD_MAX_BATCH_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  /**
   * Amazon SES through SNS (POST /hooks/ses): the topic ARNs whose messages are accepted, comma
   * separated; unset accepts any topic whose signature verifies against an amazonaws.com certificate.
   */
  HERALD_SES_TOPIC_ARNS: z.string().optional(),
  /** SendGrid Event Webhook (POST /hooks/sendgrid): the verification public key SendGrid shows (base64 DER). */
  HERALD_SENDGRID_PUBLIC_KEY: z.string().optional(),
  /** Postmark webhooks (POST /hooks/postmark): the basic-auth credentials set on the webhook, "user:password". */
  HERALD_POSTMARK_WEBHOOK_AUTH: z
    .string()
    .regex(/^[^:]+:.+$/, 'must be user:password')
    .optional(),
  /** Mailgun webhooks (POST /hooks/mailgun): the HTTP webhook signing key. */
  HERALD_MAILGUN_SIGNING_KEY: z.string().min(8).optional(),
  /** The consent log's anchor key: the API serves its public half (GET /.well-known/herald-evidence-key). */
  HERALD_EVIDENCE_KEY: evidenceKey,
})
  .superRefine(requireSecrets)
  .superRefine(requireEvidenceKey)
  // The same value for both would give the web app every scope without anyone noticing.
  .refine((env) => env.HERALD_WEB_API_KEY !== env.HERALD_API_KEY, {
    path: ['HERALD_WEB_API_KEY'],
    message: 'must differ from HERALD_API_KEY',
  });

export type ApiEnv = z.output<typeof ApiEnvSchema>;

export const WorkerEnvSchema = CommonEnvSchema.extend({
  /** The worker's Prometheus metrics (metricsPort above). */
  METRICS_PORT: metricsPort,
  METRICS_HOST: metricsHost,
  HERALD_ADDRESS_HASH_KEY: addressHashKey,
  SMTP_URL: url(['smtp:', 'smtps:'], 'smtp://127.0.0.1:1025'),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  /** Bulk single-send jobs (campaign retries, policy announcement emails) a worker runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  /**
   * Transactional single-send jobs (POST /v1/messages: sign-in links, security mail, service notices)
   * a worker runs at once, on a queue of their own that bulk mail and its retries never use.
   */
  TRANSACTIONAL_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  /**
   * Transactional messages in SMTP at once, each on an SMTP connection of the transactional stream's
   * own, so a campaign the server is throttling never holds the connection a sign-in link needs.
   * A slot is a connection: a message that has one starts its SMTP transaction at once, so the
   * consent it re-read on taking the slot is the consent it is sent under.
   */
  TRANSACTIONAL_SMTP_SLOTS: z.coerce.number().int().min(1).max(100).default(5),
  /** A message claimed longer ago than this by a worker that died is taken over by another. */
  STALE_CLAIM_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(10 * 60 * 1000),
  /** How often the reconciler enqueues stored messages that have no job (Redis restarted, enqueue failed). */
  RECONCILE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60 * 1000),
  /** The inbound listener: mailto unsubscribes, bounce and complaint reports (inbound-smtp-env.ts). */
  ...inboundSmtpEnv,
  /** Messages per campaign send-batch job: one claim, one state read and one Bull job for the lot. */
  CAMPAIGN_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /**
   * Campaign send-batch jobs a worker runs at once (beside WORKER_CONCURRENCY single sends). Two
   * keep the SMTP pool busy while the next batch is claimed; more only hold more mail in memory.
   */
  CAMPAIGN_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(2),
  /** Contacts the fan-out reads per statement (keyset page); each page is one INSERT … SELECT. */
  FANOUT_BATCH_SIZE: z.coerce.number().int().min(10).max(50_000).default(5000),
  /** How often the scheduler looks for due, resumed, orphaned and finished campaigns. */
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** A worker renews its lease every third of this; a lapsed lease hands its claims and campaigns to others. */
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /** After SIGTERM, messages already in SMTP get this long to finish; then the worker exits regardless. */
  WORKER_SHUTDOWN_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /**
   * Consecutive failures to reach the SMTP relay (refused, timed out, 421 at the greeting) after
   * which a stream's circuit breaker opens: its mail is held, without using attempts, until the relay
   * answers again.
   */
  SMTP_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(5),
  /** While the breaker is open, a test connection to the relay is made this often; the first that answers closes it. */
  SMTP_BREAKER_PROBE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY: z.string().optional(),
  /** The promotional stream: its own relay, sender and DKIM key; each unset one falls back to the transactional value. */
  PROMOTIONAL_SMTP_URL: z
    .string()
    .refine((value) => /^smtps?:\/\//.test(value), {
      message: 'must be a URL with one of the protocols smtp:, smtps:',
    })
    .optional(),
  PROMOTIONAL_MAIL_FROM: z.string().min(3).optional(),
  PROMOTIONAL_DKIM_DOMAIN: z.string().optional(),
  PROMOTIONAL_DKIM_SELECTOR: z.string().optional(),
  PROMOTIONAL_DKIM_PRIVATE_KEY: z.string().optional(),
  /** Where feedback-loop complaint reports arrive on the inbound listener; default fbl@{MAIL_DOMAIN}. */
  HERALD_FBL_ADDRESS: z.string().email().optional(),
  /**
   * Per-recipient-domain send rates for promotional mail, messages per second across every worker
   * (counted in Redis): "gmail.com=50,yahoo.com=20". Domains not named are not throttled.
   */
  HERALD_DOMAIN_RATES: z
    .string()
    .default('')
    .transform((value, context) => {
      const rates: Record<string, number> = {};
      for (const item of value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
        const [domain = '', perSecond = ''] = item.split('=').map((part) => part.trim());
        if (!/^[a-z0-9.-]+$/i.test(domain) || !/^[1-9]\d{0,6}$/.test(perSecond)) {
          context.addIssue({
            code: 'custom',
            message: `"${item}" is not domain=perSecond (e.g. gmail.com=50)`,
          });
          return z.NEVER;
        }
        rates[domain.toLowerCase()] = Number(perSecond);
      }
      return rates;
    }),
  /** How often a worker sweeps announced policy versions: later contacts, failed deliveries, at-risk check. */
  HERALD_POLICY_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(60 * 1000),
  /** A failed policy notice is sent again (as a new message) this long after it failed, until the effective date. */
  HERALD_POLICY_RETRY_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(15 * 60 * 1000),
  /**
   * A worker applying a background import holds it this long between two batches; a worker that died
   * leaves it to another (or to itself, restarted) once this has passed.
   */
  IMPORT_LEASE_MS: z.coerce
    .number()
    .int()
    .min(500)
    .default(60 * 1000),
  /** Rows of a background import a worker applies at once (one after another for the same address). */
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  /**
   * Rows of a background import a worker reads, applies and records progress for at a time; new
   * addresses among them are applied in one transaction. Larger batches spend less per row; a batch
   * must finish within IMPORT_LEASE_MS.
   */
  IMPORT_BATCH_ROWS: z.coerce.number().int().min(100).max(20_000).default(5000),
  /** How often a worker moves new webhook events to their endpoints and sends the due deliveries. */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** A webhook delivery's first retry waits this long; each next one twice as long, up to WEBHOOK_BACKOFF_MAX_MS. */
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).default(5000),
  WEBHOOK_BACKOFF_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(60 * 60 * 1000),
  /** A delivery still failing this long after its event is given up, and its endpoint disabled. */
  WEBHOOK_RETRY_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(24 * 60 * 60 * 1000),
  /** A receiver that has not answered within this is a failed attempt. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * How often a worker signs a Merkle root over the consent-log rows written since the last anchor
   * (decision 023). Each anchor briefly waits for the consent writes in flight to end.
   */
  HERALD_EVIDENCE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(60 * 1000),
  /** The Ed25519 key the anchors are signed with (PEM or base64 PKCS#8); required in production. */
  HERALD_EVIDENCE_KEY: evidenceKey,
})
  .superRefine(requireSecrets)
  .superRefine(requireEvidenceKey)
  .superRefine(requireInboundTlsPair);

export type WorkerEnv = z.output<typeof WorkerEnvSchema>;
