import { sleep } from './sleep.js';

/** Polls `check` every `intervalMs` until it holds; false when `timeoutMs` passes first. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 200,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      // the database or API may be the thing that is down right now: ask again
    }
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}
