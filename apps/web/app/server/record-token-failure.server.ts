import { redis, redisKey } from './redis.server';
import { webEnv } from './env.server';
import type { Client } from './client.server';

const WINDOW_SECONDS = 60;

/**
 * Counts one failed token verification for the client's address in a fixed one-minute window
 * and says whether the address is now over TOKEN_FAILURE_RATE_LIMIT. Only failures are counted:
 * mail providers post many valid one-clicks from few addresses. If Redis is unreachable the
 * limit fails open: a bad token still changes nothing, it only goes uncounted.
 */
export async function recordTokenFailure(client: Client): Promise<{ limited: boolean }> {
  const key = redisKey('token-failures', client.ipHash);
  try {
    const results = await redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    return { limited: count > webEnv.TOKEN_FAILURE_RATE_LIMIT };
  } catch (error) {
    console.warn(`token failure not counted: ${(error as Error).message}`);
    return { limited: false };
  }
}
