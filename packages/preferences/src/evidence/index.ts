export { ZERO_HASH, encodeText, encodeUuid, personalHash, rowHash } from './encoding.js';
export type { ChainedRow } from './encoding.js';
export { merkleRoot } from './merkle.js';
export { anchorStatement } from './statement.js';
export type { AnchorStatement } from './statement.js';
export { writeAnchor } from './anchor.js';
export type { AnchorSigner, WrittenAnchor } from './anchor.js';
export { verifyEvidence } from './verify.js';
export type { EvidenceProblem, EvidenceProblemKind, EvidenceReport } from './verify.js';
