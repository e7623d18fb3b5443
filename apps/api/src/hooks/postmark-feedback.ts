import type { FeedbackInput } from '@herald/preferences';
import { z } from 'zod';
import { DomainError } from '../core/domain-error.js';
import { bareAddress } from './bare-address.js';
import { bounceKind } from './bounce-kind.js';
import { enhancedStatus } from './enhanced-status.js';
import { heraldMessageId } from './herald-message-id.js';
import { providerEventId } from './provider-event-id.js';

/** Postmark's Bounce, SpamComplaint and Delivery webhooks; only the fields Herald reads. */
const PostmarkRecordSchema = z.looseObject({
  RecordType: z.string(),
  ID: z.union([z.number(), z.string()]).optional(),
  Type: z.string().optional(),
  TypeCode: z.number().optional(),
  MessageID: z.string().optional(),
  Email: z.string().optional(),
  /** Delivery webhooks name the address here. */
  Recipient: z.string().optional(),
  Description: z.string().optional(),
  Details: z.string().optional(),
  /** The bounced message with its headers, when the webhook includes bounce content. */
  Content: z.string().optional(),
  Metadata: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Postmark's bounce types (`Type`, "Bounce webhook") in Herald's classification. Types that are not
 * about delivering (AutoResponder, Subscribe, Unsubscribe, AddressChange, ChallengeVerification,
 * OpenRelayTest, VirusNotification, InboundError, TemplateRenderingFailed, SMTPApiError) carry none.
 */
const BOUNCE_TYPES: Record<string, 'hard' | 'soft' | 'blocked' | 'complaint'> = {
  HardBounce: 'hard',
  BadEmailAddress: 'hard',
  SoftBounce: 'soft',
  Transient: 'soft',
  DnsError: 'soft',
  Unknown: 'soft',
  Blocked: 'blocked',
  SpamNotification: 'blocked',
  DMARCPolicy: 'blocked',
  ManuallyDeactivated: 'blocked',
  Unconfirmed: 'blocked',
  SpamComplaint: 'complaint',
};

const X_HERALD_MESSAGE_ID = /^X-Herald-Message-Id:\s*(\S+)/im;

/**
 * The feedback of one Postmark webhook call, or none for records that carry none (Open, Click,
 * SubscriptionChange, a bounce type that is not about delivery). Postmark's MessageID is its own,
 * so the message is found by an `X-Herald-Message-Id` in the bounce content or the metadata when
 * present, else only the address is known. The event is `postmark:{RecordType}:{ID}` (a delivery
 * has no ID: its MessageID and address).
 */
export function postmarkFeedback(body: unknown, mailDomain: string): FeedbackInput[] {
  const parsed = PostmarkRecordSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError(
      'invalid_request',
      `The body is not a Postmark webhook record: ${
        issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unreadable'
      }.`,
    );
  }
  const record = parsed.data;
  const metadata = Object.fromEntries(
    Object.entries(record.Metadata ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
  );
  const messageId =
    heraldMessageId(X_HERALD_MESSAGE_ID.exec(record.Content ?? '')?.[1], mailDomain) ??
    heraldMessageId(metadata['herald-message-id'] ?? metadata['x-herald-message-id'], mailDomain);
  const base = { channel: 'postmark' as const, messageId };

  switch (record.RecordType) {
    case 'Bounce':
    case 'SpamComplaint': {
      const type = record.RecordType === 'SpamComplaint' ? 'complaint' : BOUNCE_TYPES[record.Type ?? ''];
      if (!type) return [];
      const status = enhancedStatus(record.Details, record.Description);
      const kind =
        type === 'complaint'
          ? 'complaint'
          : type === 'blocked'
            ? 'blocked'
            : bounceKind(type, status, record.Details ?? null);
      return [
        {
          ...base,
          kind: kind ?? 'soft-bounce',
          email: bareAddress(record.Email),
          status,
          detail: record.Details ?? record.Description ?? record.Type ?? null,
          providerEventId:
            record.ID === undefined
              ? null
              : providerEventId('postmark', record.RecordType, String(record.ID)),
        },
      ];
    }
    case 'Delivery': {
      const email = bareAddress(record.Recipient ?? record.Email);
      return [
        {
          ...base,
          kind: 'delivery',
          email,
          status: enhancedStatus(record.Details),
          detail: record.Details ?? null,
          providerEventId: record.MessageID
            ? providerEventId('postmark', 'Delivery', record.MessageID, email ?? '')
            : null,
        },
      ];
    }
    default:
      return [];
  }
}
