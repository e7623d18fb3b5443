import type { Client } from '../client.server';
import { countInWindow } from '../count-in-window.server';
import { addressLimitKey, clientLimitKey } from '../rate-limit-keys.server';
import { redisKey } from '../redis.server';

const WINDOW_SECONDS = 15 * 60;
/** Subscribe requests per address per window: each one mails that address. */
const ADDRESS_LIMIT = 3;
/** Subscribe requests per client (an IPv6 one by its /64) per window; SUBSCRIBE_CLIENT_LIMIT overrides. */
const CLIENT_LIMIT = 20;

const clientLimit = (): number => {
  const override = Number(process.env.SUBSCRIBE_CLIENT_LIMIT);
  return Number.isInteger(override) && override > 0 ? override : CLIENT_LIMIT;
};

/**
 * Counts a subscribe request against its address and its client and says whether its confirmation
 * may be mailed: without a limit anyone could make Herald mail a stranger again and again. When
 * Redis cannot be reached the limit fails closed: nothing is mailed, and the page says the same.
 */
export async function maySendSubscribeConfirmation(address: string, client: Client): Promise<boolean> {
  try {
    const [byAddress = Infinity, byClient = Infinity] = await countInWindow(
      [
        redisKey('subscribe-requests', 'address', addressLimitKey(address)),
        redisKey('subscribe-requests', 'client', clientLimitKey(client.ip)),
      ],
      WINDOW_SECONDS,
    );
    if (byAddress <= ADDRESS_LIMIT && byClient <= clientLimit()) return true;
    console.warn(
      'subscribe confirmation not sent: too many requests in 15 minutes for one address or client',
    );
  } catch (error) {
    console.warn(
      `subscribe confirmation not sent: the limit could not be checked: ${(error as Error).message}`,
    );
  }
  return false;
}
