/**
 * Runs `run` on the items callers hand in, with at most `concurrency` runs at a time: items that
 * arrive while every run is busy wait, and the next run takes all of them (up to `maxBatch`). At a
 * trickle each item runs at once, alone; in a storm the batches grow with the load, so one
 * transaction carries as many reports as arrived while the previous ones committed, instead of
 * each waiting out a timer or opening a transaction of its own. `run` answers an array aligned
 * with its input; if it throws, every caller in that batch gets the error.
 */
export function coalesceCalls<I, O>(
  run: (items: I[]) => Promise<O[]>,
  { concurrency = 2, maxBatch = 200 }: { concurrency?: number; maxBatch?: number } = {},
): (item: I) => Promise<O> {
  const waiting: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  let running = 0;

  const next = () => {
    if (running >= concurrency || waiting.length === 0) return;
    const batch = waiting.splice(0, maxBatch);
    running++;
    run(batch.map((entry) => entry.item))
      .then(
        (results) => batch.forEach((entry, index) => entry.resolve(results[index] as O)),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      )
      .finally(() => {
        running--;
        next();
      });
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      // Items handed in during the same turn of the event loop (one socket read) go together.
      if (waiting.length === 1) setImmediate(next);
    });
}
