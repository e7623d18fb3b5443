import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SigningKey } from '@herald/preferences';

/**
 * Where a message's secret template values (POST /v1/messages `secretData`: a sign-in link) are kept
 * in messages.data, sealed. The database trigger of migration erasure_scrub removes the key once the
 * message is final; a template cannot name it (Handlebars reserves "@").
 */
export const SEALED_KEY = '@sealed';

const VERSION = 'v1';
const INFO = 'herald message-data seal v1';

/**
 * AES-256-GCM under a key derived by HKDF-SHA256 from a HERALD_SECRET key, so the token-signing key
 * itself never encrypts anything. The sealed form names the key id: it opens while that key is still
 * listed, which is how rotation works (a message is final long before its key is dropped). The
 * message id is the associated data, so a sealed value opens only for the message it was sealed for.
 */
export function sealSecretData(
  keys: readonly SigningKey[],
  messageId: string,
  values: Record<string, unknown>,
): string {
  const key = keys[0];
  if (!key) throw new Error('sealing needs a HERALD_SECRET key');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(key), iv).setAAD(Buffer.from(messageId));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return [VERSION, key.kid, iv, sealed, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** A message's data with its sealed values opened and merged in, for the render only. */
export function openSealedData(
  keys: readonly SigningKey[],
  messageId: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const { [SEALED_KEY]: sealed, ...plain } = data;
  if (sealed === undefined) return plain;
  const [version, kid, iv, ciphertext, tag] = String(sealed).split('.');
  const key = keys.find((candidate) => candidate.kid === kid);
  if (version !== VERSION || !key || !iv || !ciphertext || !tag) {
    throw new Error(`its secret values cannot be opened: no key "${kid}" in HERALD_SECRET`);
  }
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(key), Buffer.from(iv, 'base64url'))
    .setAAD(Buffer.from(messageId))
    .setAuthTag(Buffer.from(tag, 'base64url'));
  const opened = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  return { ...plain, ...(JSON.parse(opened.toString('utf8')) as Record<string, unknown>) };
}

function sealingKey(key: SigningKey): Buffer {
  return Buffer.from(hkdfSync('sha256', key.secret, Buffer.alloc(0), INFO, 32));
}
