import { type KeyObject, verify } from 'node:crypto';
import { DomainError } from '../core/domain-error.js';
import { isFreshTimestamp } from './is-fresh-timestamp.js';

/**
 * SendGrid's Signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is the base64 ECDSA
 * (P-256, SHA-256, DER) signature of `X-Twilio-Email-Event-Webhook-Timestamp` followed by the raw
 * body, by the key SendGrid keeps; verified with the public key it shows. A stale timestamp is
 * refused like a bad signature (a replay).
 */
export function verifySendgridSignature(
  raw: Buffer,
  headers: { signature: string | undefined; timestamp: string | undefined },
  key: KeyObject,
): void {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) {
    throw new DomainError(
      'invalid_signature',
      'SendGrid events must carry X-Twilio-Email-Event-Webhook-Signature and X-Twilio-Email-Event-Webhook-Timestamp.',
    );
  }
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), raw]);
  let valid = false;
  try {
    valid = verify('sha256', signed, key, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new DomainError(
      'invalid_signature',
      'The SendGrid signature does not verify with HERALD_SENDGRID_PUBLIC_KEY.',
    );
  }
  if (!isFreshTimestamp(timestamp)) {
    throw new DomainError(
      'invalid_signature',
      'X-Twilio-Email-Event-Webhook-Timestamp is more than 5 minutes from now: a replay, or a clock out of sync.',
    );
  }
}
