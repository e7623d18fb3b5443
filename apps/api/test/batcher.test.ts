import { describe, expect, it } from 'vitest';
import { createBatcher } from '../src/delivery/batcher.js';

describe('createBatcher', () => {
  it('coalesces concurrent calls into one run and answers each caller with its own result', async () => {
    const runs: number[][] = [];
    const double = createBatcher<number, number>(async (items) => {
      runs.push(items);
      return items.map((n) => n * 2);
    });
    const results = await Promise.all([1, 2, 3].map((n) => double(n)));
    expect(results).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('flushes at maxBatch without waiting and rejects every caller of a failed batch', async () => {
    const runs: string[][] = [];
    const failing = createBatcher<string, string>(
      async (items) => {
        runs.push(items);
        throw new Error('database gone');
      },
      { maxBatch: 2, maxWaitMs: 10_000 },
    );
    const outcomes = await Promise.allSettled(['a', 'b'].map((s) => failing(s)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toEqual([['a', 'b']]);
  });
});
