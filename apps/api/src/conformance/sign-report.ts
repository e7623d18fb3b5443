import type { ConformanceReport } from '@herald/contract';
import { type EvidenceSigner, verifyEvidenceSignature } from '../evidence-pack/evidence-signer.js';

/** The report with its signature: Ed25519 over JSON.stringify of the report as built. */
export function signReport(report: ConformanceReport, signer: EvidenceSigner): ConformanceReport {
  const { signature: _none, ...unsigned } = report;
  const value = signer.sign(Buffer.from(JSON.stringify(unsigned))).toString('base64');
  return { ...unsigned, signature: { keyId: signer.keyId, algorithm: 'Ed25519', value } };
}

/**
 * Checks a saved report: JSON.parse keeps its fields in the order they were sent, so stringifying
 * it without `signature` gives back the bytes that were signed.
 */
export function verifyReport(
  json: string,
  publicKeyPem: string,
): { ok: true; keyId: string } | { ok: false; problem: string } {
  let parsed: ConformanceReport;
  try {
    parsed = JSON.parse(json) as ConformanceReport;
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const { signature, ...unsigned } = parsed;
  if (!signature?.value) return { ok: false, problem: 'the report has no signature' };
  const valid = verifyEvidenceSignature(
    publicKeyPem,
    Buffer.from(JSON.stringify(unsigned)),
    Buffer.from(signature.value, 'base64'),
  );
  return valid
    ? { ok: true, keyId: signature.keyId }
    : { ok: false, problem: `the signature does not verify with the given key` };
}
