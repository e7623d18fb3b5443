import { hash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MerkleAccumulator, merkleRoot, perfectSubtrees } from '../src/evidence/merkle.js';

const leafHash = (leaf: Buffer) => hash('sha256', Buffer.concat([Buffer.from([0]), leaf]), 'buffer');

/** The verifier joins a tree from batches' subtrees; the anchor writer builds it from all leaves at once. */
describe('the Merkle root from subtrees', () => {
  it('is merkleRoot for every leaf count up to 70, whatever the batch size', () => {
    for (let count = 0; count <= 70; count += 1) {
      const leaves = Array.from({ length: count }, () => randomBytes(32));
      const expected = merkleRoot(leaves);
      for (const batch of [1, 2, 4, 8, 64]) {
        const accumulator = new MerkleAccumulator();
        for (let start = 0; start < count; start += batch) {
          const slice = leaves.slice(start, start + batch);
          for (const subtree of perfectSubtrees(Buffer.concat(slice.map(leafHash)), slice.length)) {
            accumulator.push(subtree.size, subtree.hash);
          }
        }
        expect(accumulator.leaves).toBe(count);
        expect(accumulator.root().toString('hex'), `${count} leaves in batches of ${batch}`).toBe(
          expected.toString('hex'),
        );
      }
    }
  });

  it('differs when one leaf changes or the order does', () => {
    const leaves = Array.from({ length: 13 }, () => randomBytes(32));
    const root = (list: Buffer[]) => {
      const accumulator = new MerkleAccumulator();
      for (const subtree of perfectSubtrees(Buffer.concat(list.map(leafHash)), list.length)) {
        accumulator.push(subtree.size, subtree.hash);
      }
      return accumulator.root().toString('hex');
    };
    const changed = [...leaves];
    changed[7] = randomBytes(32);
    const swapped = [...leaves];
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect(root(changed)).not.toBe(root(leaves));
    expect(root(swapped)).not.toBe(root(leaves));
    expect(root(leaves)).toBe(merkleRoot(leaves).toString('hex'));
  });
});
