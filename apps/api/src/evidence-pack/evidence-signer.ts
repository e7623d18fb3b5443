import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** What signs an evidence pack: an Ed25519 key, named by the SHA-256 of its public key. */
export interface EvidenceSigner {
  keyId: string;
  publicKeyPem: string;
  sign(data: Uint8Array): Buffer;
}

/** An Ed25519 public key's id: the first 16 hex digits of the SHA-256 of its DER (SPKI) form. */
export function evidenceKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** A signer from an Ed25519 private key, as PEM or as base64 of its PKCS #8 DER. */
export function createEvidenceSigner(privateKey: string | KeyObject): EvidenceSigner {
  const key =
    typeof privateKey !== 'string'
      ? privateKey
      : privateKey.includes('-----BEGIN')
        ? createPrivateKey(privateKey)
        : createPrivateKey({ key: Buffer.from(privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the evidence key must be an Ed25519 private key');
  const publicKey = createPublicKey(key);
  return {
    keyId: evidenceKeyId(publicKey),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    sign: (data) => sign(null, data, key),
  };
}

export function verifyEvidenceSignature(
  publicKeyPem: string,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return verify(null, data, createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
}
