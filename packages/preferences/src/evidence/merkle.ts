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

/** SHA-256(0x01 || left || right): an inner node of the tree. */
export function merkleNode(left: Uint8Array, right: Uint8Array): Buffer {
  const bytes = Buffer.allocUnsafe(65);
  bytes[0] = 1;
  bytes.set(left, 1);
  bytes.set(right, 33);
  return hash('sha256', bytes, 'buffer');
}

/**
 * The same root as merkleRoot, built from the tree's perfect subtrees in leaf order, so a verifier
 * holds O(log n) hashes instead of n leaves: push the roots of consecutive aligned subtrees (a
 * subtree of 2^k leaves starting at a multiple of 2^k, as the batches of a verification are), equal
 * neighbours merge as they arrive, and the root folds what is left from the right (RFC 6962 §2.1's
 * split at the largest power of two below n is that fold).
 */
export class MerkleAccumulator {
  private readonly stack: { size: number; hash: Buffer }[] = [];
  leaves = 0;

  push(size: number, subtreeRoot: Buffer): void {
    let node = { size, hash: subtreeRoot };
    this.leaves += size;
    for (let top = this.stack.at(-1); top && top.size === node.size; top = this.stack.at(-1)) {
      this.stack.pop();
      node = { size: top.size * 2, hash: merkleNode(top.hash, node.hash) };
    }
    this.stack.push(node);
  }

  root(): Buffer {
    if (this.stack.length === 0) return hash('sha256', Buffer.alloc(0), 'buffer');
    let root = this.stack.at(-1)!.hash;
    for (let index = this.stack.length - 2; index >= 0; index -= 1) {
      root = merkleNode(this.stack[index]!.hash, root);
    }
    return root;
  }
}

/**
 * Leaf hashes (32 bytes each, in order) as perfect subtrees: the largest power of two first, then
 * the next, as the binary digits of their count. Aligned when the first leaf is at a multiple of the
 * largest power of two a batch can hold. `leafHashes` is used as the work space: it is overwritten.
 */
export function perfectSubtrees(
  leafHashes: Buffer,
  count: number,
  sha256: (input: Uint8Array) => Uint8Array = (input) => hash('sha256', input, 'buffer'),
): { size: number; hash: Buffer }[] {
  const subtrees: { size: number; hash: Buffer }[] = [];
  // Each level is written over the one below it, in place: no object per node.
  const input = Buffer.allocUnsafe(65);
  input[0] = 1;
  let start = 0;
  for (let size = 2 ** Math.floor(Math.log2(Math.max(count, 1))); size >= 1 && start < count; size /= 2) {
    if (count - start < size) continue;
    for (let width = size; width > 1; width /= 2) {
      for (let index = 0; index < width; index += 2) {
        const left = (start + index) * 32;
        leafHashes.copy(input, 1, left, left + 64);
        leafHashes.set(sha256(input), (start + index / 2) * 32);
      }
    }
    subtrees.push({ size, hash: Buffer.from(leafHashes.subarray(start * 32, start * 32 + 32)) });
    start += size;
  }
  return subtrees;
}
