/** A counting semaphore: `acquire()` resolves with a release function once one of `size` slots is free. */
export function createSendSlots(size: number): () => Promise<() => void> {
  let free = size;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return () =>
    new Promise((resolve) => {
      const grant = () => {
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          release();
        });
      };
      if (free > 0) {
        free--;
        grant();
      } else {
        waiting.push(grant);
      }
    });
}
