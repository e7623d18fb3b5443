import { redis } from './redis.server';

/**
 * Counts one more event under each key, each in a fixed window that starts with its first event,
 * and returns the new counts. INCR and EXPIRE go in one MULTI, so concurrent requests each see their
 * own count and none can pass a limit together. Throws when Redis cannot be reached: each caller
 * decides whether its limit then fails open or closed.
 */
export async function countInWindow(keys: readonly string[], windowSeconds: number): Promise<number[]> {
  const transaction = redis.multi();
  for (const key of keys) transaction.incr(key).expire(key, windowSeconds, 'NX');
  const results = await transaction.exec();
  if (!results) throw new Error('the Redis transaction was discarded');
  return keys.map((_, index) => {
    const [error, count] = results[index * 2] ?? [new Error('no reply')];
    if (error) throw error;
    return Number(count);
  });
}
