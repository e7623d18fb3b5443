import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** The consent log's anchor-signing key, parsed (decision 023). */
export interface EvidenceKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 over the public key's SubjectPublicKeyInfo (DER). */
  readonly keyId: string;
  readonly publicKeyPem: string;
  readonly publicKeyJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; use: 'sig'; alg: 'EdDSA' };
}

/** PKCS#8 DER of an Ed25519 private key is this prefix followed by the 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The development and test key: derived from a public phrase, so every development process signs
 * with the same key and anyone can forge its anchors. A process with NODE_ENV=production refuses
 * to start without HERALD_EVIDENCE_KEY.
 */
export const DEVELOPMENT_EVIDENCE_KEY = Buffer.concat([
  ED25519_PKCS8_PREFIX,
  createHash('sha256').update('herald-development-evidence-key').digest(),
]).toString('base64');

export function evidenceKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** An Ed25519 private key as PEM ("-----BEGIN PRIVATE KEY-----") or base64 PKCS#8 DER. Throws otherwise. */
export function parseEvidenceKey(value: string): EvidenceKey {
  const text = value.trim().replace(/\\n/g, '\n');
  const privateKey = text.startsWith('-----BEGIN')
    ? createPrivateKey({ key: text, format: 'pem' })
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`is a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  }
  return publicParts(privateKey);
}

export function publicParts(privateKey: KeyObject): EvidenceKey {
  const publicKey = createPublicKey(privateKey);
  const keyId = evidenceKeyId(publicKey);
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    privateKey,
    publicKey,
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: String(jwk.x), kid: keyId, use: 'sig', alg: 'EdDSA' },
  };
}

/**
 * HERALD_EVIDENCE_KEY: the Ed25519 key the worker signs consent-log anchors with and whose public
 * half the API serves at /.well-known/herald-evidence-key. Unset outside production: the public
 * development key. Parsed here, so a bad key stops the process at start-up.
 */
export const evidenceKey = z
  .string()
  .optional()
  .transform((value, context) => {
    try {
      return { configured: value !== undefined, key: parseEvidenceKey(value ?? DEVELOPMENT_EVIDENCE_KEY) };
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `must be an Ed25519 private key, PEM or base64 PKCS#8 (${error instanceof Error ? error.message : String(error)})`,
      });
      return z.NEVER;
    }
  });

/** With NODE_ENV=production, HERALD_EVIDENCE_KEY must be set and not the development key. */
export function requireEvidenceKey(
  env: { NODE_ENV: string; HERALD_EVIDENCE_KEY: { configured: boolean; key: EvidenceKey } },
  context: z.RefinementCtx,
): void {
  if (env.NODE_ENV !== 'production') return;
  const development = parseEvidenceKey(DEVELOPMENT_EVIDENCE_KEY).keyId;
  if (!env.HERALD_EVIDENCE_KEY.configured || env.HERALD_EVIDENCE_KEY.key.keyId === development) {
    context.addIssue({
      code: 'custom',
      path: ['HERALD_EVIDENCE_KEY'],
      message:
        'is required when NODE_ENV=production: an Ed25519 private key (e.g. openssl genpkey -algorithm ed25519); the development key is public',
    });
  }
}
