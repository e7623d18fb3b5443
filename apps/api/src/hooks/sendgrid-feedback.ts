import type { FeedbackInput } from '@herald/preferences';
import { z } from 'zod';
import { DomainError } from '../core/domain-error.js';
import { bareAddress } from './bare-address.js';
import { bounceKind } from './bounce-kind.js';
import { enhancedStatus } from './enhanced-status.js';
import { heraldMessageId } from './herald-message-id.js';
import { providerEventId } from './provider-event-id.js';

/** One event of SendGrid's Event Webhook ("Event Webhook Reference"); only the fields Herald reads. */
const SendgridEventSchema = z.looseObject({
  event: z.string(),
  email: z.string().optional(),
  'smtp-id': z.string().optional(),
  sg_event_id: z.string().optional(),
  /** bounce events: "bounce" (the receiving server refused the address) or "blocked" (it refused the sender). */
  type: z.string().optional(),
  status: z.string().optional(),
  reason: z.string().optional(),
  response: z.string().optional(),
  attempt: z.union([z.string(), z.number()]).optional(),
});
const SendgridBatchSchema = z.array(SendgridEventSchema);

/** SendGrid's dropped reasons that say the address itself is dead. */
const DEAD_ADDRESS_DROPS = /^(bounced address|invalid)/i;

/**
 * The feedback in a SendGrid batch, and how many events carry none (processed, open, click,
 * unsubscribe, a deferral retried, …). `bounce` is a hard bounce (type "blocked": a refusal of the
 * sender; a 5.7.x status always is); `dropped` for "Bounced Address"/"Invalid" is a hard bounce
 * (SendGrid will never deliver there), any other drop (its suppression lists, spam content) a
 * refusal that suppresses nothing; `deferred` is a soft bounce on its first attempt only, since
 * SendGrid reports every retry of the same message and one slow message must not count as five
 * soft bounces; `spamreport` is a complaint; `delivered` a delivery. The message is found by
 * `smtp-id`, the Message-ID Herald set (`<{messageId}@{MAIL_DOMAIN}>`); the event by `sg_event_id`.
 */
export function sendgridFeedback(
  body: unknown,
  mailDomain: string,
): { inputs: FeedbackInput[]; ignored: number } {
  const parsed = SendgridBatchSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError(
      'invalid_request',
      `The body is not a SendGrid Event Webhook batch (a JSON array of events): ${
        issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unreadable'
      }.`,
    );
  }
  const inputs: FeedbackInput[] = [];
  for (const event of parsed.data) {
    const kind = kindOf(event);
    if (!kind) continue;
    const detail = event.reason ?? event.response ?? null;
    inputs.push({
      channel: 'sendgrid',
      kind,
      messageId: heraldMessageId(event['smtp-id'], mailDomain),
      email: bareAddress(event.email),
      status: enhancedStatus(event.status, detail),
      detail,
      providerEventId: event.sg_event_id ? providerEventId('sendgrid', event.sg_event_id) : null,
    });
  }
  return { inputs, ignored: parsed.data.length - inputs.length };
}

function kindOf(event: z.output<typeof SendgridEventSchema>): FeedbackInput['kind'] | null {
  const status = enhancedStatus(event.status, event.reason, event.response);
  const diagnostic = event.reason ?? event.response ?? null;
  switch (event.event) {
    case 'bounce':
      return event.type === 'blocked' ? 'blocked' : bounceKind('hard', status, diagnostic);
    case 'dropped':
      return DEAD_ADDRESS_DROPS.test(event.reason ?? '') ? 'hard-bounce' : 'blocked';
    case 'deferred':
      return event.attempt === undefined || Number(event.attempt) <= 1
        ? bounceKind('soft', status, diagnostic)
        : null;
    case 'spamreport':
      return 'complaint';
    case 'delivered':
      return 'delivery';
    default:
      return null;
  }
}
