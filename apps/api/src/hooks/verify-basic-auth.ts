import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../core/domain-error.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Postmark authenticates its webhooks with the HTTP basic-auth credentials set in the webhook's URL
 * (HERALD_POSTMARK_WEBHOOK_AUTH, "user:password"); compared in constant time.
 */
export function verifyBasicAuth(header: string | undefined, expected: string): void {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) {
    throw new DomainError(
      'invalid_signature',
      'Postmark webhooks must carry the basic-auth credentials of HERALD_POSTMARK_WEBHOOK_AUTH (https://user:password@host/hooks/postmark).',
    );
  }
  const given = Buffer.from(match[1], 'base64').toString('utf8');
  if (!timingSafeEqual(digest(given), digest(expected))) {
    throw new DomainError(
      'invalid_signature',
      'The basic-auth credentials are not those of HERALD_POSTMARK_WEBHOOK_AUTH.',
    );
  }
}
