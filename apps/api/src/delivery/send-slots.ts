/**
 * A stream's send slots: `(recipient)` resolves with a release function once one of `size` slots is
 * free, or with null once `close()` was called (the worker is shutting down: a message still waiting
 * for a slot has not started and goes back to the queue for another worker, instead of holding the
 * shutdown for the SMTP transactions ahead of it). The recipient matters only to slots that throttle
 * by recipient domain (domain-throttle-slots.ts).
 */
export interface SendSlots {
  (recipient?: string): Promise<(() => void) | null>;
  close(): void;
  /** True once close() was called: what is turned away now is the shutdown's, not a failure. */
  readonly closed: boolean;
}

/** A counting semaphore whose waiters are turned away once it is closed. */
export function createSendSlots(size: number): SendSlots {
  let free = size;
  const waiting: ((granted: boolean) => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next(true);
    else free++;
  };
  const acquire = () =>
    new Promise<(() => void) | null>((resolve) => {
      const grant = (granted: boolean) => {
        if (!granted) return resolve(null);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          release();
        });
      };
      if (slots.closed) grant(false);
      else if (free > 0) {
        free--;
        grant(true);
      } else {
        waiting.push(grant);
      }
    });
  const slots = Object.assign(acquire, {
    closed: false,
    close() {
      slots.closed = true;
      for (const turnAway of waiting.splice(0)) turnAway(false);
    },
  });
  return slots;
}
