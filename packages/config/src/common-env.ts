import { z } from 'zod';
import { developmentSecret } from './production-secrets.js';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const url = (protocols: string[], fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL with one of the protocols ${protocols.join(', ')}` },
    );

/** "kid:secret[,kid:secret…]"; @herald/preferences parses and checks each key. */
const signingKeys = z
  .string({ error: 'is required: token signing keys as kid:secret[,kid:secret…]' })
  .min(1, 'is required: token signing keys as kid:secret[,kid:secret…]');

export const CommonEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: url(['postgresql:', 'postgres:'], 'postgresql://postgres@127.0.0.1:5432/herald'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  HERALD_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]+$/i, 'letters, digits, ":", "_" and "-" only')
    .default('herald'),
  HERALD_SECRET: signingKeys,
  PUBLIC_WEB_URL: url(['http:', 'https:'], 'http://localhost:3000'),
  PUBLIC_API_URL: url(['http:', 'https:'], 'http://localhost:3001'),
  MAIL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/i, 'must be a domain name such as mail.example.com')
    .default('herald.localhost'),
  MAIL_FROM: z.string().min(3).default('Herald <no-reply@herald.localhost>'),
  HERALD_POSTAL_ADDRESS: z
    .string()
    .min(5, 'must be the postal address shown in every promotional email')
    .default('Herald Demo Co., 1 Example Street, Springfield 00000, USA'),
  /**
   * Attempts for temporary failures (4xx replies) before a message is failed. With the default
   * backoff they span about a day. Connection failures that open the SMTP circuit breaker do not
   * count (SMTP_BREAKER_THRESHOLD).
   */
  DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(25),
  /** First retry delay; each later one doubles (exponential backoff), up to DELIVERY_MAX_BACKOFF_MS. */
  DELIVERY_BACKOFF_MS: z.coerce.number().int().min(10).default(2000),
  /** The longest wait between two attempts: a relay down for hours does not use every attempt up in minutes. */
  DELIVERY_MAX_BACKOFF_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(2 * 60 * 60 * 1000),
  /**
   * Salt for hashing client IP addresses (their /24 or /48 network) in the consent log, which never
   * stores the addresses themselves. Required, 32 characters or more, in production.
   */
  HERALD_IP_SALT: developmentSecret('HERALD_IP_SALT'),
  /** Least notice, in days, between publishing a policy version and its effective date (an override needs a reason). */
  HERALD_POLICY_NOTICE_DAYS: z.coerce.number().min(0).max(365).default(30),
  /** Days before a policy version's effective date from which an undelivered reachable contact marks it at risk. */
  HERALD_POLICY_AT_RISK_DAYS: z.coerce.number().min(0).max(365).default(7),
  /** Soft bounces in a row, with no delivery reported in between, that suppress an address (soft-bounce-limit). */
  HERALD_SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
  /** Messages a campaign must have sent before its complaint and bounce rates can pause it. */
  HERALD_GUARDRAIL_MIN_SENT: z.coerce.number().int().min(1).default(1000),
  /** A campaign whose complaints per message sent exceed this pauses itself (complaint-rate). */
  HERALD_CAMPAIGN_MAX_COMPLAINT_RATE: z.coerce.number().min(0).max(1).default(0.003),
  /** A campaign whose hard bounces per message sent exceed this pauses itself (bounce-rate). */
  HERALD_CAMPAIGN_MAX_BOUNCE_RATE: z.coerce.number().min(0).max(1).default(0.05),
  /** 5.7.x refusals of the sender in a row that pause a campaign (blocked). */
  HERALD_GUARDRAIL_BLOCKED_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  /** `json`: every log line is one JSON object (pino); `text`: lines for a person to read. */
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  /** The least severe level written. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export { port, url };

export type CommonEnv = z.output<typeof CommonEnvSchema>;
