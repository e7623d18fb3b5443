import { countInWindow } from '../count-in-window.server';
import { webEnv } from '../env.server';
import { addressLimitKey, clientLimitKey } from '../rate-limit-keys.server';
import { redis, redisKey } from '../redis.server';

const WINDOW_SECONDS = 15 * 60;

/** DECR only a counter still in its window: one that expired meanwhile must not come back negative. */
const FORGIVE = `for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('DECR', key) end
end`;

/** Who tried: the client's address (counted by its network) and the account address typed. */
export type SignInAttempt = { ip: string; email: string };

/**
 * Counts a password check BEFORE it is made, and says whether it may be made. Each check is
 * counted in Redis (so the limit holds across web copies) in a fixed 15-minute window, per client
 * network (an IPv6 client by its /64) and per account: one client cannot guess quickly, and many
 * clients together cannot guess one account quickly. INCR and EXPIRE go in one MULTI
 * (`countInWindow`), so of any number of attempts sent at once only ADMIN_SIGN_IN_FAILURE_LIMIT are
 * checked: counting after the ~100 ms scrypt, as before, let every concurrent guess through. Over
 * the limit a right password is refused like a wrong one.
 *
 * If Redis is unreachable the limiter fails open (logged): sign-in still needs the password, and an
 * operator locked out of the console during an outage is worse than guesses at scrypt's pace.
 */
export async function countSignInAttempt(attempt: SignInAttempt): Promise<{ limited: boolean }> {
  try {
    const counts = await countInWindow(keysOf(attempt), WINDOW_SECONDS);
    return { limited: counts.some((count) => count > webEnv.ADMIN_SIGN_IN_FAILURE_LIMIT) };
  } catch (error) {
    console.warn(`admin sign-in attempt not counted: ${(error as Error).message}`);
    return { limited: false };
  }
}

/**
 * A right password gives its attempt back, so the limit counts failures (and checks under way):
 * an office that signs in often behind one address is never limited by its own successes.
 */
export async function forgiveSignInAttempt(attempt: SignInAttempt): Promise<void> {
  try {
    await redis.eval(FORGIVE, 2, ...keysOf(attempt));
  } catch (error) {
    console.warn(`admin sign-in attempt not given back: ${(error as Error).message}`);
  }
}

/** Keys are keyed hashes (Redis never holds an address): the client's network, and the address typed. */
function keysOf({ ip, email }: SignInAttempt): string[] {
  return [
    redisKey('admin-sign-in', 'client', clientLimitKey(ip)),
    redisKey('admin-sign-in', 'account', addressLimitKey(email)),
  ];
}
