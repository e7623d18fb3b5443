import type { FeedbackInput } from '@herald/preferences';
import { z } from 'zod';
import { DomainError } from '../core/domain-error.js';
import { bareAddress } from './bare-address.js';
import { bounceKind } from './bounce-kind.js';
import { enhancedStatus } from './enhanced-status.js';
import { heraldMessageId } from './herald-message-id.js';
import { providerEventId } from './provider-event-id.js';

const Header = z.looseObject({ name: z.string(), value: z.string() });

/** Amazon SES's bounce, complaint and delivery notifications ("Amazon SNS notification contents for Amazon SES"). */
const SesNotificationSchema = z.looseObject({
  /** `eventType` when the notification comes from a configuration set's event publishing. */
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  mail: z
    .looseObject({
      headers: z.array(Header).optional(),
      commonHeaders: z.looseObject({ messageId: z.string().optional() }).optional(),
    })
    .optional(),
  bounce: z
    .looseObject({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(
        z.looseObject({
          emailAddress: z.string(),
          status: z.string().optional(),
          diagnosticCode: z.string().optional(),
        }),
      ),
    })
    .optional(),
  complaint: z
    .looseObject({
      complainedRecipients: z.array(z.looseObject({ emailAddress: z.string() })),
      complaintFeedbackType: z.string().optional(),
      complaintSubType: z.string().nullish(),
    })
    .optional(),
  delivery: z
    .looseObject({ recipients: z.array(z.string()), smtpResponse: z.string().optional() })
    .optional(),
  deliveryDelay: z
    .looseObject({
      delayType: z.string().optional(),
      delayedRecipients: z.array(
        z.looseObject({
          emailAddress: z.string(),
          status: z.string().optional(),
          diagnosticCode: z.string().optional(),
        }),
      ),
    })
    .optional(),
});

const notSes = (why: string) =>
  new DomainError('invalid_request', `The SNS message is not an Amazon SES notification: ${why}.`);

/**
 * The feedback an SES notification (an SNS Notification's `Message`) carries, one input per
 * recipient. The message is found by the `X-Herald-Message-Id` header SES returns in
 * `mail.headers` (when the identity includes original headers), else by `mail.commonHeaders.messageId`,
 * else only the address is known. Bounce: `Permanent` is a hard bounce, `Transient` and
 * `Undetermined` soft, a 5.7.x status a refusal of the sender (`bounceKind`). Complaint: a
 * complaint, except `OnAccountSuppressionList` (SES did not send it: the relay refused, the
 * recipient complained of nothing now). Delivery: a delivery. DeliveryDelay (event publishing): a
 * soft bounce. Other types (SES's set-up test "AmazonSnsSubscriptionSucceeded", Send, Open, …)
 * carry no feedback. The SNS MessageId, the same on every retry, names the event.
 */
export function sesFeedback(
  notification: { Message: string; MessageId: string },
  mailDomain: string,
): FeedbackInput[] {
  let json: unknown;
  try {
    json = JSON.parse(notification.Message);
  } catch {
    throw notSes('its Message is not JSON');
  }
  const parsed = SesNotificationSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw notSes(issue ? `${issue.path.join('.')}: ${issue.message}` : 'unreadable');
  }
  const ses = parsed.data;
  const type = ses.notificationType ?? ses.eventType;
  const headers = ses.mail?.headers ?? [];
  const messageId =
    heraldMessageId(headers.find((h) => h.name.toLowerCase() === 'x-herald-message-id')?.value, mailDomain) ??
    heraldMessageId(ses.mail?.commonHeaders?.messageId, mailDomain);
  const input = (
    address: string,
    kind: FeedbackInput['kind'],
    status: string | null,
    detail: string | null,
  ): FeedbackInput => {
    const email = bareAddress(address);
    return {
      channel: 'ses',
      kind,
      messageId,
      email,
      status,
      detail,
      providerEventId: providerEventId('ses', notification.MessageId, email ?? ''),
    };
  };

  switch (type) {
    case 'Bounce': {
      if (!ses.bounce) throw notSes('a Bounce without its bounce object');
      const { bounceType, bounceSubType } = ses.bounce;
      const verdict = bounceType === 'Permanent' ? 'hard' : 'soft';
      return ses.bounce.bouncedRecipients.map((recipient) => {
        const status = enhancedStatus(recipient.status, recipient.diagnosticCode);
        const detail = recipient.diagnosticCode ?? `${bounceType}/${bounceSubType ?? 'General'}`;
        return input(
          recipient.emailAddress,
          bounceKind(verdict, status, recipient.diagnosticCode ?? null) ?? 'soft-bounce',
          status,
          detail,
        );
      });
    }
    case 'Complaint': {
      if (!ses.complaint) throw notSes('a Complaint without its complaint object');
      const { complaintFeedbackType, complaintSubType } = ses.complaint;
      const kind = complaintSubType === 'OnAccountSuppressionList' ? 'blocked' : 'complaint';
      return ses.complaint.complainedRecipients.map((recipient) =>
        input(recipient.emailAddress, kind, null, complaintSubType ?? complaintFeedbackType ?? null),
      );
    }
    case 'Delivery': {
      if (!ses.delivery) throw notSes('a Delivery without its delivery object');
      const { smtpResponse } = ses.delivery;
      return ses.delivery.recipients.map((address) =>
        input(address, 'delivery', enhancedStatus(smtpResponse), smtpResponse ?? null),
      );
    }
    case 'DeliveryDelay': {
      if (!ses.deliveryDelay) throw notSes('a DeliveryDelay without its deliveryDelay object');
      return ses.deliveryDelay.delayedRecipients.map((recipient) => {
        const status = enhancedStatus(recipient.status, recipient.diagnosticCode);
        return input(
          recipient.emailAddress,
          bounceKind('soft', status, recipient.diagnosticCode ?? null) ?? 'soft-bounce',
          status,
          recipient.diagnosticCode ?? ses.deliveryDelay?.delayType ?? null,
        );
      });
    }
    case undefined:
      throw notSes('it has no notificationType');
    default:
      return [];
  }
}
