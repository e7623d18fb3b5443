import { randomBytes } from 'node:crypto';

/**
 * What every Herald process of one test needs: the test file's database, and a key, a secret and a
 * Bull queue prefix of its own, so processes started by different files never share a queue.
 */
export function heraldEnvironment(label = 'test'): Record<string, string> {
  return {
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_test',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    HERALD_QUEUE_PREFIX: `${label}-${randomBytes(4).toString('hex')}`,
    HERALD_API_KEY: `${label}-${randomBytes(12).toString('hex')}`,
    HERALD_SECRET: `${label}:${randomBytes(32).toString('base64url')}`,
  };
}
