import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../core/domain-error.js';
import { isFreshTimestamp } from './is-fresh-timestamp.js';

const MailgunSignatureSchema = z.looseObject({
  timestamp: z.union([z.string(), z.number()]),
  token: z.string().min(1),
  signature: z.string().regex(/^[0-9a-f]{64}$/i),
});

/**
 * Mailgun signs inside the body ("Securing Webhooks"): `signature.signature` is the hex
 * HMAC-SHA256, keyed with the HTTP webhook signing key, of `signature.timestamp` followed by
 * `signature.token`. Compared in constant time; a stale timestamp is refused as a replay.
 */
export function verifyMailgunSignature(body: unknown, signingKey: string): void {
  const parsed = z.looseObject({ signature: MailgunSignatureSchema }).safeParse(body);
  if (!parsed.success) {
    throw new DomainError(
      'invalid_signature',
      'Mailgun events must carry signature.timestamp, signature.token and signature.signature (hex HMAC-SHA256).',
    );
  }
  const { timestamp, token, signature } = parsed.data.signature;
  const expected = createHmac('sha256', signingKey).update(`${timestamp}${token}`, 'utf8').digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    throw new DomainError(
      'invalid_signature',
      'The Mailgun signature does not verify with HERALD_MAILGUN_SIGNING_KEY.',
    );
  }
  if (!isFreshTimestamp(timestamp)) {
    throw new DomainError(
      'invalid_signature',
      'signature.timestamp is more than 5 minutes from now: a replay, or a clock out of sync.',
    );
  }
}
