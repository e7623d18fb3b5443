import type { CaughtMessage, WaitOptions } from './types.js';

const DEFAULT_WAIT_MS = 10_000;

export interface MessageStore {
  add(message: CaughtMessage): void;
  get(id: string): CaughtMessage | undefined;
  list(): CaughtMessage[];
  count(): number;
  clear(): void;
  onMessage(listener: (message: CaughtMessage) => void): () => void;
  waitFor(predicate: (message: CaughtMessage) => boolean, options?: WaitOptions): Promise<CaughtMessage>;
  waitForCount(n: number, options?: WaitOptions): Promise<void>;
}

/** Keeps the newest `maxMessages` messages in arrival order and wakes waiters. */
export function createMessageStore(maxMessages: number): MessageStore {
  // A Map iterates in insertion order, so the oldest message is always first: O(1) eviction.
  const messages = new Map<string, CaughtMessage>();
  const listeners = new Set<(message: CaughtMessage) => void>();
  let accepted = 0;

  const onMessage = (listener: (message: CaughtMessage) => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  // `initial` looks at what is already here; `next` looks only at each new arrival, so a
  // waiter costs O(1) per message even with thousands kept.
  const waitUntil = <T>(
    initial: () => T | undefined,
    next: (message: CaughtMessage) => T | undefined,
    describe: string,
    options?: WaitOptions,
  ): Promise<T> => {
    let found: T | undefined;
    try {
      found = initial();
    } catch (error) {
      return Promise.reject(error);
    }
    if (found !== undefined) return Promise.resolve(found);
    const timeoutMs = options?.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<T>((resolve, reject) => {
      const settle = (settleWith: () => void) => {
        clearTimeout(timer);
        unsubscribe();
        settleWith();
      };
      const unsubscribe = onMessage((message) => {
        try {
          const value = next(message);
          if (value !== undefined) settle(() => resolve(value));
        } catch (error) {
          settle(() => reject(error));
        }
      });
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`Mail catcher: ${describe} within ${timeoutMs} ms (${accepted} messages received)`));
      }, timeoutMs);
    });
  };

  return {
    add(message) {
      messages.set(message.id, message);
      accepted += 1;
      if (messages.size > maxMessages) {
        const oldest = messages.keys().next();
        if (!oldest.done) messages.delete(oldest.value);
      }
      for (const listener of [...listeners]) {
        try {
          listener(message);
        } catch (error) {
          // The SMTP reply must not depend on a listener; surface the bug like an emitter would.
          setImmediate(() => {
            throw error;
          });
        }
      }
    },
    get: (id) => messages.get(id),
    list: () => [...messages.values()],
    count: () => accepted,
    clear() {
      messages.clear();
      accepted = 0;
    },
    onMessage,
    waitFor(predicate, options) {
      const test = (message: CaughtMessage) => (predicate(message) ? message : undefined);
      return waitUntil(() => findMatching(messages, predicate), test, 'no matching message', options);
    },
    waitForCount(n, options) {
      const reached = () => (accepted >= n ? true : undefined);
      return waitUntil(reached, reached, `fewer than ${n} messages`, options).then(() => undefined);
    },
  };
}

function findMatching(
  messages: Map<string, CaughtMessage>,
  predicate: (message: CaughtMessage) => boolean,
): CaughtMessage | undefined {
  for (const message of messages.values()) if (predicate(message)) return message;
  return undefined;
}
