import type { Claim, Outcome } from '../delivery/claim-and-record.js';
import type { DeliveryDeps } from '../delivery/delivery-deps.js';
import { deliveryOutcomes, sendLatency, smtpReplies } from './registry.js';

/**
 * How the SMTP attempt behind an outcome ended: `accepted`, the classification of the server's
 * refusal (`hard-bounce`, `blocked`, `temporary`, …), or `no-reply` when the server could not be
 * reached or went silent (no reply code). Null for an outcome without an SMTP attempt.
 */
function smtpReplyOf(outcome: Outcome): string | null {
  if (outcome.event === 'sent' && outcome.smtpMessageId !== undefined) return 'accepted';
  const smtp = (outcome.detail as { smtp?: { kind?: unknown; code?: unknown } } | null | undefined)?.smtp;
  if (typeof smtp?.kind !== 'string') return null;
  return smtp.code === undefined ? 'no-reply' : smtp.kind;
}

/**
 * The deps of one claimed message, whose record step also counts: each outcome recorded (by the
 * message's class, its stream and the event), the SMTP reply's classification, and the time from
 * the message's enqueue (the claim's `enqueuedAt`, when the message was stored) to the reply.
 */
export function countDeliveries(deps: DeliveryDeps, claim: Claim & { enqueuedAt?: Date }): DeliveryDeps {
  const labels = { class: claim.class, stream: deps.stream ?? 'unknown' };
  const enqueuedAt = claim.enqueuedAt?.getTime();
  const { store } = deps;
  const record = (outcome: Outcome) => {
    const reply = smtpReplyOf(outcome);
    if (reply) {
      smtpReplies.inc({ class: claim.class, reply });
      if (enqueuedAt !== undefined) sendLatency.observe(labels, Math.max(0, Date.now() - enqueuedAt) / 1000);
    }
    return store.record(outcome).then((moved) => {
      if (moved) deliveryOutcomes.inc({ ...labels, outcome: outcome.event });
      return moved;
    });
  };
  return { ...deps, store: { ...store, record } };
}
