import { Redis } from 'ioredis';
import { webEnv } from './env.server';

/**
 * Shared with every copy of the web app, so a rate limit holds across processes. One retry at
 * most: a caller that cannot reach Redis fails open rather than leaving a visitor waiting.
 */
export const redis = new Redis(webEnv.REDIS_URL, {
  maxRetriesPerRequest: 1,
  lazyConnect: true,
});
redis.on('error', (error: Error) => console.warn(`redis: ${error.message}`));

/** Keys of this installation live under the same prefix as its Bull queues. */
export const redisKey = (...parts: string[]) => [webEnv.HERALD_QUEUE_PREFIX, 'web', ...parts].join(':');
