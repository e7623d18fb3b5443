import type { Queue } from 'bull';
import { within } from '../core/within.js';

type Redis = Queue['client'];

/**
 * A domain's turn, kept in Redis so it holds across every worker: the key holds the earliest instant
 * (Redis's clock, ms) the domain's next message may go. A message may go once that instant has come;
 * taking the turn moves it one interval on. No burst: a domain's messages go evenly spaced, which is
 * what keeps them under the rate in every window, not only in windows aligned to whole seconds.
 * ARGV[2] = '1' takes the turn, '0' only looks. Answers 0 (it may go; taken) or how many ms are left.
 */
const TURN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local due = tonumber(redis.call('GET', KEYS[1]))
if due ~= nil and due > now then return math.ceil(due - now) end
if ARGV[2] == '1' then
  redis.call('SET', KEYS[1], tostring(now + interval), 'PX', math.ceil(interval) + 1000)
end
return 0
`;

/**
 * The spacing is the rate's, widened by this much per second: the time from a message's turn to the
 * receiving server's receipt (the consent re-read, the render, the SMTP transaction) varies by some
 * tens of milliseconds between messages (past 100 ms on a loaded machine: the two-worker test saw
 * `rate` + 1 with 100 ms of room), and without room for that a message received a little sooner
 * after its turn than the one `rate` turns before it would make `rate` + 1 in a second of the
 * server's clock. So a domain gets at most `rate` messages in any second, at about 17% below the rate:
 * a cap a provider enforces costs more to breach than the few messages per second given up.
 */
const JITTER_ALLOWANCE_MS = 200;

/** How long a Redis call of the throttle may take before the throttle counts Redis as unavailable. */
const REDIS_TIMEOUT_MS = 1000;

/** While Redis is unavailable, a throttled message looks again after this long (it is held, not sent). */
export const THROTTLE_UNAVAILABLE_RETRY_MS = 500;

export interface DomainThrottle {
  /** Whether messages to this recipient domain (lower case) are throttled. */
  limits(domain: string): boolean;
  /** Ms until the domain's next turn (0: now), without taking it. */
  untilTurn(domain: string): Promise<number>;
  /** Takes the domain's turn if it has come (0), else answers the ms left; nothing is taken then. */
  takeTurn(domain: string): Promise<number>;
}

/**
 * The per-recipient-domain throttle of promotional mail (HERALD_DOMAIN_RATES, messages per second
 * across every worker). While Redis cannot be reached, throttled domains are held rather than sent
 * unthrottled: the throttle exists for limits whose breach costs the sender's reputation (a warm-up,
 * a provider's cap), and promotional mail can wait (decision 013, "Streams and throttle").
 */
export function createDomainThrottle({
  redis,
  keyPrefix,
  rates,
  onUnavailable,
}: {
  redis: Redis;
  keyPrefix: string;
  /** Messages per second by domain, lower case (parsed from HERALD_DOMAIN_RATES). */
  rates: Record<string, number>;
  /** Told once when Redis stops answering the throttle, and once (null) when it answers again. */
  onUnavailable: (error: Error | null) => void;
}): DomainThrottle {
  let unavailable = false;
  const turn = async (domain: string, take: boolean): Promise<number> => {
    const rate = rates[domain];
    if (rate === undefined) return 0;
    try {
      // A client that is not connected would keep the command for when Redis returns: ask nothing.
      if (redis.status !== 'ready') throw new Error(`Redis is ${redis.status}`);
      const interval = (1000 + JITTER_ALLOWANCE_MS) / rate;
      const wait = await within(
        redis.eval(TURN, 1, `${keyPrefix}:domain-turn:${domain}`, interval, take ? '1' : '0'),
        REDIS_TIMEOUT_MS,
        'Redis (domain throttle)',
      );
      if (unavailable) {
        unavailable = false;
        onUnavailable(null);
      }
      return Number(wait);
    } catch (error) {
      if (!unavailable) {
        unavailable = true;
        onUnavailable(error as Error);
      }
      return THROTTLE_UNAVAILABLE_RETRY_MS;
    }
  };
  return {
    limits: (domain) => rates[domain] !== undefined,
    untilTurn: (domain) => turn(domain, false),
    takeTurn: (domain) => turn(domain, true),
  };
}
