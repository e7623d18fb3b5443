import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { verifyEvidenceSignature } from './evidence-signer.js';
import {
  EVIDENCE_PACK_FORMAT,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  type EvidencePackManifest,
} from './pack-format.js';

export type PackVerification =
  | { ok: true; manifest: EvidencePackManifest; files: number }
  | { ok: false; problem: string };

/**
 * Checks an evidence pack from its bytes alone: it is a zip, its manifest is signed by the key it
 * names (and, when `trustedKeyPem` is given, that key is the trusted one), every file it lists is
 * there with its SHA-256 and size, and it holds no other file.
 */
export function verifyEvidencePack(zipBytes: Uint8Array, trustedKeyPem?: string): PackVerification {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zipBytes);
  } catch (error) {
    return { ok: false, problem: `not a readable zip: ${(error as Error).message}` };
  }
  const manifestBytes = entries[MANIFEST_FILE];
  const signature = entries[SIGNATURE_FILE];
  if (!manifestBytes || !signature)
    return { ok: false, problem: `${MANIFEST_FILE} or ${SIGNATURE_FILE} is missing` };
  let manifest: EvidencePackManifest;
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as EvidencePackManifest;
  } catch {
    return { ok: false, problem: `${MANIFEST_FILE} is not JSON` };
  }
  if (manifest.format !== EVIDENCE_PACK_FORMAT)
    return { ok: false, problem: `unknown format "${String(manifest.format)}"` };
  const keyPem = manifest.key?.publicKeyPem ?? '';
  if (trustedKeyPem !== undefined && normalizePem(trustedKeyPem) !== normalizePem(keyPem)) {
    return { ok: false, problem: `signed by key ${manifest.key?.id}, which is not the trusted key` };
  }
  const signatureBytes = Buffer.from(Buffer.from(signature).toString('utf8').trim(), 'base64');
  if (!verifyEvidenceSignature(keyPem, manifestBytes, signatureBytes)) {
    return {
      ok: false,
      problem: `the signature of ${MANIFEST_FILE} does not verify with key ${manifest.key?.id}`,
    };
  }
  const listed = new Set(manifest.files.map((file) => file.name));
  for (const file of manifest.files) {
    const bytes = entries[file.name];
    if (!bytes) return { ok: false, problem: `${file.name} is listed in the manifest but missing` };
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== file.sha256 || bytes.length !== file.bytes) {
      return {
        ok: false,
        problem: `${file.name} was changed: its SHA-256 is ${sha256}, the manifest says ${file.sha256}`,
      };
    }
  }
  const extra = Object.keys(entries).filter(
    (name) => !listed.has(name) && name !== MANIFEST_FILE && name !== SIGNATURE_FILE,
  );
  if (extra.length > 0) return { ok: false, problem: `files not in the manifest: ${extra.join(', ')}` };
  return { ok: true, manifest, files: manifest.files.length };
}

const normalizePem = (pem: string) => pem.replace(/\s+/g, '');
