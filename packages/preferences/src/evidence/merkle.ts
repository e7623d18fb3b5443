import { hash } from 'node:crypto';

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/**
 * The Merkle tree of an anchor, as in RFC 6962 (Certificate Transparency) §2.1: over leaves
 * d[0..n) (the row_hashes in evidence_seq order), MTH of one leaf is SHA-256(0x00 || d), of n > 1
 * leaves SHA-256(0x01 || MTH(d[0..k)) || MTH(d[k..n))) with k the largest power of two below n,
 * and of no leaves SHA-256 of nothing.
 */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return hash('sha256', Buffer.alloc(0), 'buffer');
  let level = leaves.map((leaf) => hash('sha256', Buffer.concat([LEAF, leaf]), 'buffer'));
  // Bottom-up pairing with an odd last node carried up unchanged gives the same tree as the
  // recursive split at the largest power of two.
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let index = 0; index + 1 < level.length; index += 2) {
      next.push(hash('sha256', Buffer.concat([NODE, level[index]!, level[index + 1]!]), 'buffer'));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}
