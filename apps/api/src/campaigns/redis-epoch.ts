import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';

/**
 * An id for "this Redis, with its data": created once under the queue prefix, gone whenever Redis
 * loses its data (a restart without persistence, a flush). A campaign remembers the epoch its jobs
 * were enqueued under; a different one means the jobs are gone and must be enqueued again.
 */
export async function currentRedisEpoch(redis: Queue['client'], keyPrefix: string): Promise<string> {
  const epoch = await redis.eval(
    "redis.call('SET', KEYS[1], ARGV[1], 'NX'); return redis.call('GET', KEYS[1])",
    1,
    `${keyPrefix}:epoch`,
    randomUUID(),
  );
  return String(epoch);
}
