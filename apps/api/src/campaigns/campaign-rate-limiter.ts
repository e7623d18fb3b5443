import type { Queue } from 'bull';

type Redis = Queue['client'];

/**
 * A token bucket per campaign, in Redis so the rate holds across every worker copy. The bucket holds
 * a tenth of a second of sends (at least one), so the rate also holds over short windows. Redis's
 * own clock is used, so the workers' clocks do not matter.
 */
const TAKE_TOKENS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1])
local at = tonumber(bucket[2])
if tokens == nil or at == nil then tokens = capacity; at = now end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local granted = math.min(wanted, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
local wait = 0
if granted == 0 then wait = math.ceil((1 - tokens) * 1000 / rate) end
return { granted, wait }
`;

/** Longest a caller sleeps before looking at its campaign's state again. */
const MAX_WAIT_MS = 250;

export function createCampaignRateLimiter(redis: Redis, keyPrefix: string) {
  return async (campaignId: string, ratePerSecond: number, wanted: number): Promise<number> => {
    const capacity = Math.max(1, Math.ceil(ratePerSecond / 10));
    const [granted, waitMs] = (await redis.eval(
      TAKE_TOKENS,
      1,
      `${keyPrefix}:campaign-rate:${campaignId}`,
      ratePerSecond,
      capacity,
      Math.max(1, wanted),
    )) as [number, number];
    if (granted > 0) return granted;
    await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_WAIT_MS, Math.max(1, waitMs))));
    return 0;
  };
}
