import { parseEnv, WebEnvSchema, type WebEnv } from '@herald/config';
import { parseSigningKeys, type SigningKey } from '@herald/preferences';
import { createHmac } from 'node:crypto';

/** The web app's environment, validated once when the server build is imported. */
export const webEnv: WebEnv = parseEnv(WebEnvSchema, process.env);

/** The unsubscribe-token keys (`HERALD_SECRET`); a bad list stops the start like a bad variable. */
export const signingKeys: readonly SigningKey[] = parseKeys(webEnv.HERALD_SECRET);

/**
 * The session cookie's signing secret. Without HERALD_SESSION_SECRET it is derived from the
 * first token key with a fixed label, so the token key itself never signs a cookie.
 */
export const sessionSecret: string =
  webEnv.HERALD_SESSION_SECRET ??
  createHmac('sha256', signingKeys[0]?.secret ?? '')
    .update('herald-web-session')
    .digest('base64url');

/** Cookies get `Secure` when the public address is https. */
export const isHttps = new URL(webEnv.PUBLIC_WEB_URL).protocol === 'https:';

function parseKeys(spec: string): SigningKey[] {
  try {
    return parseSigningKeys(spec);
  } catch (error) {
    // Same shape as parseEnv's message, so server.js reports it the same way.
    const problem = new Error(`Invalid environment:\n  - HERALD_SECRET: ${(error as Error).message}`);
    problem.name = 'EnvError';
    throw problem;
  }
}
