import type { Client } from './client.server';
import { countInWindow } from './count-in-window.server';
import { webEnv } from './env.server';
import { addressLimitKey, clientLimitKey } from './rate-limit-keys.server';
import { redisKey } from './redis.server';

const WINDOW_SECONDS = 15 * 60;

/**
 * Counts a sign-in link request against its address and against its client (an IPv6 one by its
 * /64), SIGN_IN_REQUEST_LIMIT of each per 15 minutes, and says whether a link may be mailed. A
 * sign-in link is a required security message no opt-out stops, so without this anyone could make
 * Herald mail a stranger again and again (and spend its sender reputation doing it). When Redis
 * cannot be reached the limit fails closed: no link goes out, and the page says the same as ever.
 */
export async function maySendSignInLink(address: string, client: Client): Promise<boolean> {
  const limit = webEnv.SIGN_IN_REQUEST_LIMIT;
  try {
    const counts = await countInWindow(
      [
        redisKey('sign-in-requests', 'address', addressLimitKey(address)),
        redisKey('sign-in-requests', 'client', clientLimitKey(client.ip)),
      ],
      WINDOW_SECONDS,
    );
    if (counts.every((count) => count <= limit)) return true;
    console.warn(
      `sign-in link not sent: more than ${limit} requests in 15 minutes for one address or from one client`,
    );
  } catch (error) {
    console.warn(
      `sign-in link not sent: the request limit could not be checked: ${(error as Error).message}`,
    );
  }
  return false;
}
