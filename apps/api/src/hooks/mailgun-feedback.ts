import type { FeedbackInput } from '@herald/preferences';
import { z } from 'zod';
import { DomainError } from '../core/domain-error.js';
import { bareAddress } from './bare-address.js';
import { bounceKind } from './bounce-kind.js';
import { enhancedStatus } from './enhanced-status.js';
import { heraldMessageId } from './herald-message-id.js';
import { providerEventId } from './provider-event-id.js';

/** Mailgun's `event-data` ("Webhook Payloads"); only the fields Herald reads. */
const MailgunEventSchema = z.looseObject({
  event: z.string(),
  id: z.string().optional(),
  recipient: z.string().optional(),
  /** failed events: "permanent" or "temporary". */
  severity: z.string().optional(),
  /** failed events: "bounce", "suppress-bounce", "old" (retried too long), "generic", … */
  reason: z.string().optional(),
  message: z
    .looseObject({ headers: z.looseObject({ 'message-id': z.string().optional() }).optional() })
    .optional(),
  'delivery-status': z
    .looseObject({
      code: z.union([z.number(), z.string()]).optional(),
      'enhanced-code': z.string().optional(),
      message: z.string().optional(),
      description: z.string().optional(),
      'attempt-no': z.union([z.number(), z.string()]).optional(),
    })
    .optional(),
});

/**
 * The feedback of one Mailgun webhook call, or none for events that carry none (accepted, opened,
 * clicked, unsubscribed, a temporary failure retried). `failed` + `permanent` is a hard bounce
 * (Mailgun's own suppression of a bounced address too), except a 5.7.x status (a refusal of the
 * sender), a drop for a complained or unsubscribed address (a refusal that suppresses nothing) and
 * `old` (it gave up after temporary failures: a soft bounce); `failed` + `temporary` is a soft
 * bounce on its first attempt only, since Mailgun reports every retry; `complained` is a
 * complaint; `delivered` a delivery. The message is found by `message.headers.message-id`, the
 * Message-ID Herald set; the event by its `id`.
 */
export function mailgunFeedback(body: unknown, mailDomain: string): FeedbackInput[] {
  const parsed = z.looseObject({ 'event-data': MailgunEventSchema }).safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError(
      'invalid_request',
      `The body is not a Mailgun webhook event: ${
        issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unreadable'
      }.`,
    );
  }
  const event = parsed.data['event-data'];
  const delivery = event['delivery-status'];
  const detail = delivery?.message || delivery?.description || null;
  const status = enhancedStatus(delivery?.['enhanced-code'], detail);
  const kind = kindOf(event, status, detail);
  if (!kind) return [];
  return [
    {
      channel: 'mailgun',
      kind,
      messageId: heraldMessageId(event.message?.headers?.['message-id'], mailDomain),
      email: bareAddress(event.recipient),
      status: status ?? (delivery?.code === undefined ? null : String(delivery.code)),
      detail,
      providerEventId: event.id ? providerEventId('mailgun', event.id) : null,
    },
  ];
}

function kindOf(
  event: z.output<typeof MailgunEventSchema>,
  status: string | null,
  detail: string | null,
): FeedbackInput['kind'] | null {
  switch (event.event) {
    case 'failed':
      if (event.severity === 'temporary') {
        const attempt = event['delivery-status']?.['attempt-no'];
        return attempt === undefined || Number(attempt) <= 1 ? bounceKind('soft', status, detail) : null;
      }
      if (event.reason === 'suppress-complaint' || event.reason === 'suppress-unsubscribe') return 'blocked';
      return bounceKind(event.reason === 'old' ? 'soft' : 'hard', status, detail);
    case 'complained':
      return 'complaint';
    case 'delivered':
      return 'delivery';
    default:
      return null;
  }
}
