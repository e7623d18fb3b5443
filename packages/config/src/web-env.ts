import { z } from 'zod';
import { CommonEnvSchema, port, url } from './common-env.js';
import { requireProductionSecrets } from './production-secrets.js';

export const WebEnvSchema = CommonEnvSchema.extend({
  WEB_PORT: port(3000),
  /** Internal address of the API: sign-in mail, the console and the public policy page go through it. */
  HERALD_API_URL: url(['http:', 'https:'], 'http://127.0.0.1:3001'),
  /**
   * How long a console page waits for the API to answer a read before it shows "not answering"
   * (503). Writes wait as long as the API takes: giving up on one could not say whether it happened.
   */
  HERALD_API_READ_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * The web app's own API key: the API gives it only the scopes the web needs (sign-in mail, a
   * contact's notices, the public policy page). Set it to the API's HERALD_WEB_API_KEY.
   */
  HERALD_WEB_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * The API's all-powerful bootstrap key. Used only when HERALD_WEB_API_KEY is not set, with a
   * warning at start: a public web server should not hold it.
   */
  HERALD_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Signs the account session cookie. Optional: without it a key is derived from HERALD_SECRET
   * (HMAC with a fixed label), so rotating the first signing key also signs everyone out.
   */
  HERALD_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Server processes sharing WEB_PORT (node:cluster); 1 runs the server in the started process. */
  WEB_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Failed token verifications a client address may make per minute before it gets 429 pages. */
  TOKEN_FAILURE_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /**
   * Sign-in links /account mails per address, and per client address (IPv6 by its /64), in 15
   * minutes; further requests get the same page and no mail.
   */
  SIGN_IN_REQUEST_LIMIT: z.coerce.number().int().min(1).default(3),
  /** Failed console sign-ins per client address, and per account, in 15 minutes before sign-in is refused. */
  ADMIN_SIGN_IN_FAILURE_LIMIT: z.coerce.number().int().min(1).default(10),
  /**
   * Express's "trust proxy": which hops may set X-Forwarded-For (the client address that rate
   * limits and consent-log hashes use). "loopback" trusts a proxy on the same machine only.
   */
  WEB_TRUST_PROXY: z.string().min(1).default('loopback'),
  // The web app hashes client addresses (the consent log's ip_hash), never email addresses.
})
  .superRefine(requireProductionSecrets(['HERALD_IP_SALT']))
  .refine((env) => Boolean(env.HERALD_WEB_API_KEY || env.HERALD_API_KEY), {
    path: ['HERALD_WEB_API_KEY'],
    message:
      "is required: the API key the web app calls the API with (the API's HERALD_WEB_API_KEY; HERALD_API_KEY also works, with a warning)",
    // Checked even when other variables are wrong, so the start-up error names every missing one.
    when: () => true,
  });

export type WebEnv = z.output<typeof WebEnvSchema>;
