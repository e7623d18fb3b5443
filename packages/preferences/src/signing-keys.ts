export type SigningKey = {
  /** Lower-cased key id, carried in every token so a verifier can pick the key. */
  readonly kid: string;
  readonly secret: Buffer;
};

const KID_PATTERN = /^[a-z0-9]{1,8}$/i;
const MIN_SECRET_LENGTH = 32;

/**
 * Parses `kid:secret[,kid:secret…]`. The first key signs; every key verifies, which is
 * how a rotation keeps old unsubscribe links working for a grace period.
 */
export function parseSigningKeys(spec: string): SigningKey[] {
  const entries = spec.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) {
    throw new Error('signing keys: the key list is empty; expected kid:secret[,kid:secret…]');
  }

  const keys: SigningKey[] = [];
  entries.forEach((entry, index) => {
    const position = `entry ${index + 1}`;
    if (entry === '') throw new Error(`signing keys: ${position} is empty`);
    const colon = entry.indexOf(':');
    if (colon < 0) throw new Error(`signing keys: ${position} has no "kid:" prefix`);

    const kid = entry.slice(0, colon);
    const secret = entry.slice(colon + 1);
    if (!KID_PATTERN.test(kid)) {
      throw new Error(
        `signing keys: ${position} has key id "${kid}", which must be 1 to 8 letters or digits`,
      );
    }
    // Compared case-insensitively: the mailto form of a token reaches us lower-cased.
    const normalizedKid = kid.toLowerCase();
    if (keys.some((key) => key.kid === normalizedKid)) {
      throw new Error(`signing keys: key id "${kid}" appears more than once`);
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `signing keys: the secret of key "${kid}" has ${secret.length} characters; at least ${MIN_SECRET_LENGTH} are required`,
      );
    }
    keys.push({ kid: normalizedKid, secret: Buffer.from(secret, 'utf8') });
  });
  return keys;
}
