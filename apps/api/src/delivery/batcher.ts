/**
 * Coalesces the calls made by concurrent jobs within `maxWaitMs` (or until `maxBatch` are waiting)
 * into one call of `run`, so the worker pays one database round trip for many messages. `run`
 * answers an array aligned with its input; if it throws, every caller in the batch gets the error.
 */
export function createBatcher<I, O>(
  run: (items: I[]) => Promise<O[]>,
  { maxBatch = 100, maxWaitMs = 2 }: { maxBatch?: number; maxWaitMs?: number } = {},
): (item: I) => Promise<O> {
  let pending: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    run(batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, index) => entry.resolve(results[index] as O)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= maxBatch) flush();
      else timer ??= setTimeout(flush, maxWaitMs);
    });
}
