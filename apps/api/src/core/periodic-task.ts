export interface PeriodicTask {
  /** Runs `run` now unless a run is in progress; answers when that run is done. */
  runNow(): Promise<void>;
  /** True once `stop` was called: long runs check it to end early. */
  readonly stopping: boolean;
  /** No more runs start; resolves when the one in progress, if any, is done. */
  stop(): Promise<void>;
}

/**
 * A timer loop for a worker's background duties: runs once at start, then every `intervalMs`, never
 * two runs at once (a slow run makes the next tick skip), with an unref'd timer so it never keeps
 * the process alive. A run that throws goes to `onError` and the loop carries on.
 */
export function startPeriodicTask({
  intervalMs,
  run,
  onError,
}: {
  intervalMs: number;
  run: () => Promise<void>;
  onError: (error: Error) => void;
}): PeriodicTask {
  let running: Promise<void> | null = null;
  let stopping = false;
  const runNow = (): Promise<void> => {
    if (stopping) return Promise.resolve();
    running ??= run()
      .catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))))
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();
  void runNow();
  return {
    runNow,
    get stopping() {
      return stopping;
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      await running;
    },
  };
}
