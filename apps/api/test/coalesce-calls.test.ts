import { describe, expect, it } from 'vitest';
import { coalesceCalls } from '../src/core/coalesce-calls.js';

describe('coalesceCalls', () => {
  it('runs a lone item at once, and batches what arrives while every run is busy', async () => {
    const batches: number[][] = [];
    const release: (() => void)[] = [];
    const call = coalesceCalls<number, string>(
      async (items) => {
        batches.push(items);
        await new Promise<void>((resolve) => release.push(resolve));
        return items.map((item) => `done ${item}`);
      },
      { concurrency: 1, maxBatch: 3 },
    );
    const first = call(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    const later = [2, 3, 4, 5].map((item) => call(item));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    release.shift()?.();
    expect(await first).toBe('done 1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    release.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    release.shift()?.();
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4', 'done 5']);
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('fails only the callers of the batch whose run failed', async () => {
    let runs = 0;
    const call = coalesceCalls<number, number>(async (items) => {
      runs++;
      if (runs === 1) throw new Error('database down');
      return items;
    });
    await expect(call(1)).rejects.toThrow('database down');
    expect(await call(2)).toBe(2);
  });
});
