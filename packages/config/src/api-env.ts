import { z } from 'zod';
import { CommonEnvSchema, port, url } from './common-env.js';

export const ApiEnvSchema = CommonEnvSchema.extend({
  API_PORT: port(3001),
  HERALD_API_KEY: z
    .string({ error: 'is required: the admin API key callers send as a Bearer token' })
    .min(16, 'must be at least 16 characters'),
  /** Largest JSON body the API accepts. */
  HERALD_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
});

export type ApiEnv = z.output<typeof ApiEnvSchema>;

export const WorkerEnvSchema = CommonEnvSchema.extend({
  SMTP_URL: url(['smtp:', 'smtps:'], 'smtp://127.0.0.1:1025'),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
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
  /** The mailto unsubscribe listener (unsubscribe+{token}@MAIL_DOMAIN); off when unset. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().default('0.0.0.0'),
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY: z.string().optional(),
});

export type WorkerEnv = z.output<typeof WorkerEnvSchema>;
