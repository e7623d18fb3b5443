import type { Client } from './client.server';
import { countInWindow } from './count-in-window.server';
import { webEnv } from './env.server';
import { clientLimitKey } from './rate-limit-keys.server';
import { redisKey } from './redis.server';

const WINDOW_SECONDS = 60;

/**
 * Counts one failed token verification for the client (its address, an IPv6 one by its /64) in a
 * fixed one-minute window and says whether it is now over TOKEN_FAILURE_RATE_LIMIT. Only failures
 * are counted: mail providers post many valid one-clicks from few addresses. If Redis is
 * unreachable the limit fails open: a bad token still changes nothing, it only goes uncounted.
 */
export async function recordTokenFailure(client: Client): Promise<{ limited: boolean }> {
  try {
    const [count = 0] = await countInWindow(
      [redisKey('token-failures', clientLimitKey(client.ip))],
      WINDOW_SECONDS,
    );
    return { limited: count > webEnv.TOKEN_FAILURE_RATE_LIMIT };
  } catch (error) {
    console.warn(`token failure not counted: ${(error as Error).message}`);
    return { limited: false };
  }
}
