import { z } from 'zod';

/** The events an endpoint may ask for (issue 14). */
export const WEBHOOK_EVENTS = [
  'contact.subscribed',
  'contact.unsubscribed',
  'preferences.changed',
  'contact.suppressed',
  'contact.erased',
  'message.sent',
  'message.bounced',
  'message.complained',
  'campaign.finished',
  'policy.notice.acknowledged',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const CreateWebhookSchema = z.strictObject({
  /** https; http only for localhost or 127.0.0.1 outside production (the API checks that part). */
  url: z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      message: 'must be an http(s) URL',
    }),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { error: `must be one of: ${WEBHOOK_EVENTS.join(', ')}` }))
    .min(1, 'must name at least one event')
    .refine((events) => new Set(events).size === events.length, { message: 'must not repeat an event' }),
  description: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});
export type CreateWebhookInput = z.output<typeof CreateWebhookSchema>;

export const ListWebhookDeliveriesSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** An endpoint as lists show it: never its secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  events: WebhookEvent[];
  description: string | null;
  createdAt: string;
  /** Until when the previous secret still signs beside the current one (after a rotation). */
  previousSecretExpiresAt: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
}

/** The answer to POST /v1/webhooks and its rotate-secret: the only time the secret is shown. */
export interface CreatedWebhookEndpoint extends WebhookEndpointView {
  /** "whsec_" + base64 of 32 random bytes: the HMAC-SHA256 key is the base64-decoded part. */
  secret: string;
}

/** The answer to POST /v1/webhooks/{id}/enable. */
export interface EnabledWebhookEndpoint extends WebhookEndpointView {
  /** The endpoint's deliveries that were not delivered, set to be sent again now. */
  requeued: number;
}

/** One event for one endpoint, as the delivery log shows it. */
export interface WebhookDeliveryView {
  /** The `webhook-id` header: the same on every attempt. */
  id: string;
  endpointId: string;
  eventType: WebhookEvent;
  contactId: string | null;
  payload: unknown;
  occurredAt: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}
