import type { HeraldLogger } from './herald-logger.js';

let current: HeraldLogger | null = null;

/**
 * The process's logger, for code that runs outside Nest's injection (the delivery path is plain
 * functions). Set by createApiApp and createWorkerApp; unset (nothing is written) in tests that
 * build the app without a logger or call the send path directly.
 */
export function useProcessLogger(logger: HeraldLogger | null): void {
  current = logger;
}

export function processLogger(): HeraldLogger | null {
  return current;
}
