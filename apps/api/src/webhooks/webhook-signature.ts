import { createHmac, randomBytes } from 'node:crypto';

/** A new signing secret: "whsec_" + base64 of 32 random bytes (Standard Webhooks). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), the key being the base64-decoded
 * part of the secret after "whsec_".
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The webhook-signature header: one signature per secret that signs now (the current one and,
 * until it expires, the previous one), separated by a space.
 */
export function signatureHeader(
  endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null },
  id: string,
  timestamp: number,
  body: string,
  now = new Date(),
): string {
  const signatures = [signWebhook(endpoint.secret, id, timestamp, body)];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    signatures.push(signWebhook(endpoint.previousSecret, id, timestamp, body));
  }
  return signatures.join(' ');
}
