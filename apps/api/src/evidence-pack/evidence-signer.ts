import type { EvidenceKey } from '@herald/config';
import { createPublicKey, sign, verify } from 'node:crypto';

/** What signs an evidence pack or a report: HERALD_EVIDENCE_KEY, named by its key id. */
export interface EvidenceSigner {
  keyId: string;
  publicKeyPem: string;
  sign(data: Uint8Array): Buffer;
}

/** A signer from the evidence key as the environment parsed it (packages/config evidence-key.ts). */
export function createEvidenceSigner(key: EvidenceKey): EvidenceSigner {
  return {
    keyId: key.keyId,
    publicKeyPem: key.publicKeyPem,
    sign: (data) => sign(null, data, key.privateKey),
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
