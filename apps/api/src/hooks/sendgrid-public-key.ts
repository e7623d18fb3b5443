import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The key of HERALD_SENDGRID_PUBLIC_KEY: the base64 DER (SubjectPublicKeyInfo) SendGrid shows under
 * "Signed Event Webhook Requests", or the same in PEM. Null when it is not an EC public key.
 */
export function sendgridPublicKey(value: string): KeyObject | null {
  try {
    const key = value.includes('-----BEGIN')
      ? createPublicKey(value)
      : createPublicKey({ key: Buffer.from(value.trim(), 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' ? key : null;
  } catch {
    return null;
  }
}
