import type { NodeProcess } from './start-node-process.js';

/** Polls `url` until it answers 2xx; fails early, with its output, if `started` exits first. */
export async function waitForHttp(url: string, started?: NodeProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (started?.exited()) throw new Error(`process exited before ${url} answered:\n${started.output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `${url} did not answer within ${timeoutMs} ms${started ? `:\n${started.output()}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
