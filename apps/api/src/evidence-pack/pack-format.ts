/** The evidence pack's format, as its manifest names it; a verifier refuses any other. */
export const EVIDENCE_PACK_FORMAT = 'herald-policy-evidence/1';

/** The manifest: every other file's SHA-256 and size, and the key that signed it. */
export interface EvidencePackManifest {
  format: typeof EVIDENCE_PACK_FORMAT;
  policyId: string;
  policyVersion: string;
  generatedAt: string;
  files: { name: string; sha256: string; bytes: number }[];
  key: { id: string; algorithm: 'Ed25519'; publicKeyPem: string };
}

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
