import type { SigningKey } from './signing-keys.js';
import { computeMac } from './token-mac.js';
import { MAX_CATEGORY_KEY_BYTES, URL_TOKEN_MAC_LENGTH, URL_TOKEN_VERSION } from './token-format.js';
import { TokenPayloadSchema, type TokenPayload } from './token-payload.js';
import { uuidToBytes } from './uuid-bytes.js';

/** Signs an unsubscribe capability with the first key. The result is URL-safe base64url. */
export function signToken(payload: TokenPayload, keys: readonly SigningKey[]): string {
  const key = keys[0];
  if (!key) throw new Error('signToken: no signing key configured');
  // verifyToken refuses any other key id, so a hand-built key must not produce dead links.
  if (!/^[a-z0-9]{1,8}$/.test(key.kid))
    throw new Error(`signToken: key id "${key.kid}" is not 1 to 8 lower-case letters or digits`);
  const { contactId, scope, messageId } = TokenPayloadSchema.parse(payload);

  const kid = Buffer.from(key.kid, 'ascii');
  const categoryKey = scope.kind === 'category' ? Buffer.from(scope.categoryKey, 'utf8') : Buffer.alloc(0);
  if (categoryKey.length > MAX_CATEGORY_KEY_BYTES) {
    throw new Error(`signToken: category key is longer than ${MAX_CATEGORY_KEY_BYTES} bytes`);
  }

  const body = Buffer.concat([
    Buffer.from([URL_TOKEN_VERSION, kid.length]),
    kid,
    uuidToBytes(contactId),
    Buffer.from([categoryKey.length]),
    categoryKey,
    messageId === undefined ? Buffer.alloc(0) : uuidToBytes(messageId),
  ]);
  const mac = computeMac(key.secret, body, URL_TOKEN_MAC_LENGTH);
  return Buffer.concat([body, mac]).toString('base64url');
}
