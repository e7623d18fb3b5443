import { isConnectionLost } from '@herald/db';

const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 1000;

/**
 * Runs a statement again, on another connection, when it failed because its connection was lost (a
 * terminated session, a reset socket): after pg_terminate_backend or a failover the pool's first
 * statements fail on connections that are already dead, and a delivery that threw for that would
 * cost its job a retry with backoff, or worse, leave its claim behind. Only statements that are safe
 * to run twice may be wrapped. Waits 50 ms, then twice as long each time, for at most `budgetMs`;
 * any other error, or the budget spent, is thrown.
 */
export async function retryOnConnectionLoss<T>(
  run: () => Promise<T>,
  { budgetMs }: { budgetMs: number },
): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delayMs = FIRST_DELAY_MS; ; delayMs = Math.min(delayMs * 2, MAX_DELAY_MS)) {
    try {
      return await run();
    } catch (error) {
      if (!isConnectionLost(error) || Date.now() + delayMs > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
