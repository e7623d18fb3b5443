import type { DomainThrottle } from './domain-throttle.js';
import type { SendSlots } from './send-slots.js';

/** Longest a waiter sleeps before it looks again (at the turn, and at a shutdown that began). */
const MAX_SLEEP_MS = 250;

/**
 * Send slots that give a message to a throttled recipient domain its slot only on the domain's turn
 * (domain-throttle.ts). The wait comes before the slot, so a throttled domain never holds a connection
 * that mail to other domains could use: a message looks at its domain's turn, sleeps until it comes,
 * takes a slot, and only then takes the turn, as late as it can be taken (what follows, the consent
 * re-read, the render and SMTP, is short, so the server receives the message close to its turn). If
 * another worker took the turn meanwhile, the slot goes back and the message waits for the next one.
 * In each process, a domain's messages wait in line, one at a time, so they do not all race for
 * every turn. Mail to domains without a rate takes its slot at once, as before.
 */
export function throttleSendSlots(slots: SendSlots, throttle: DomainThrottle): SendSlots {
  const lines = new Map<string, Promise<unknown>>();
  const sleepers = new Set<() => void>();
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(1, Math.min(ms, MAX_SLEEP_MS)));
      sleepers.add(wake);
    });

  const stopped = () => closed || slots.closed;

  const onTurn = async (domain: string): Promise<(() => void) | null> => {
    for (;;) {
      if (stopped()) return null;
      const wait = await throttle.untilTurn(domain);
      if (wait > 0) {
        await sleep(wait);
        continue;
      }
      const release = await slots();
      if (!release) return null;
      const left = await throttle.takeTurn(domain);
      if (left === 0) return release;
      release();
      await sleep(left);
    }
  };

  /** Runs `take` after every earlier waiter for the same domain in this process is done. */
  const inLine = (domain: string, take: () => Promise<(() => void) | null>) => {
    const ahead = lines.get(domain) ?? Promise.resolve();
    const mine = ahead.then(take);
    const done = mine.then(
      () => undefined,
      () => undefined,
    );
    lines.set(domain, done);
    void done.then(() => {
      if (lines.get(domain) === done) lines.delete(domain);
    });
    return mine;
  };

  const acquire = (recipient?: string) => {
    const domain = recipient?.slice(recipient.lastIndexOf('@') + 1).toLowerCase() ?? '';
    if (!domain || !throttle.limits(domain)) return slots(recipient);
    return inLine(domain, () => onTurn(domain));
  };
  return Object.defineProperties(acquire, {
    closed: { get: () => stopped() },
    close: {
      value: () => {
        closed = true;
        slots.close();
        for (const wake of [...sleepers]) wake();
      },
    },
  }) as SendSlots;
}
