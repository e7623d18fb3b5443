import type { SendSlots } from './send-slots.js';

/**
 * The slots of `primary`, whose close() closes `others` too: a stream's slots as the shutdown sees
 * them (campaign-scheduler.service.ts closes each stream's), when the stream's promotional mail has
 * slots, or a domain throttle's waiters, of its own (mail-lanes.ts).
 */
export function joinSendSlots(primary: SendSlots, ...others: SendSlots[]): SendSlots {
  const acquire = (recipient?: string) => primary(recipient);
  return Object.defineProperties(acquire, {
    closed: { get: () => primary.closed },
    close: {
      value: () => {
        primary.close();
        for (const slots of others) slots.close();
      },
    },
  }) as SendSlots;
}
