import type { DeliveryResult } from '../delivery/delivery-deps.js';
import { processLogger } from './process-logger.js';

/**
 * One line per delivery outcome in the worker: the message id, class, category, outcome (sent,
 * suppressed, failed, bounced, retry, held, parked), reason (redacted: an SMTP reply can quote the
 * address), the attempt, and the milliseconds from the message's enqueue to the SMTP server's reply
 * (null when no SMTP transaction took place). Nothing when the process has no logger or events are off.
 */
export function logDeliveryOutcome(
  claim: { messageId: string; class: string; categoryKey: string; attempt: number; enqueuedAt: Date },
  result: DeliveryResult,
  smtpRepliedAt: number | null,
): void {
  const logger = processLogger();
  if (!logger?.eventsEnabled || result.outcome === 'skipped') return;
  const reason = 'reason' in result ? (result.reason ?? null) : null;
  logger.event('Delivery', `message ${claim.messageId} ${result.outcome}`, {
    messageId: claim.messageId,
    class: claim.class,
    category: claim.categoryKey,
    outcome: result.outcome,
    reason,
    attempt: claim.attempt,
    ms: smtpRepliedAt === null ? null : smtpRepliedAt - claim.enqueuedAt.getTime(),
  });
}
