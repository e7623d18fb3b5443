import { createHash } from 'node:crypto';
import { webEnv } from '../env.server';
import { redis, redisKey } from '../redis.server';

const WINDOW_SECONDS = 15 * 60;

/**
 * Failed console sign-ins, counted in Redis (so the limit holds across web copies) in a fixed
 * 15-minute window, per client address and per account: one client cannot guess quickly, and many
 * clients together cannot guess one account quickly. The check comes before the password is
 * verified, so a right guess over the limit is refused like a wrong one. If Redis is unreachable
 * the limiter fails open, as the token-failure limiter does: sign-in still needs the password.
 */
export async function isSignInLimited(attempt: SignInAttempt): Promise<boolean> {
  try {
    const counts = await redis.mget(...keysOf(attempt));
    return counts.some((count) => Number(count ?? 0) >= webEnv.ADMIN_SIGN_IN_FAILURE_LIMIT);
  } catch (error) {
    console.warn(`admin sign-in limit not checked: ${(error as Error).message}`);
    return false;
  }
}

export async function recordSignInFailure(attempt: SignInAttempt): Promise<void> {
  try {
    const batch = redis.multi();
    for (const key of keysOf(attempt)) batch.incr(key).expire(key, WINDOW_SECONDS, 'NX');
    await batch.exec();
  } catch (error) {
    console.warn(`admin sign-in failure not counted: ${(error as Error).message}`);
  }
}

/** Who tried: the client's hashed address and the address typed (hashed too: keys are not secret). */
export type SignInAttempt = { ipHash: string; email: string };

function keysOf({ ipHash, email }: SignInAttempt): string[] {
  const account = createHash('sha256').update(email).digest('base64url');
  return [redisKey('admin-sign-in', 'client', ipHash), redisKey('admin-sign-in', 'account', account)];
}
