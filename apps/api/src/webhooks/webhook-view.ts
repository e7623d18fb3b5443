import type {
  WebhookDeliveryStatus,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEvent,
} from '@herald/contract';
import type { WebhookDelivery, WebhookEndpoint } from '@herald/db';

/** An endpoint as the API shows it: never its secrets. */
export const toWebhookEndpointView = (endpoint: WebhookEndpoint): WebhookEndpointView => ({
  id: endpoint.id,
  url: endpoint.url,
  events: endpoint.events as WebhookEvent[],
  description: endpoint.description,
  createdAt: endpoint.createdAt.toISOString(),
  previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
  disabledAt: endpoint.disabledAt?.toISOString() ?? null,
  disabledReason: endpoint.disabledReason,
});

export const toWebhookDeliveryView = (delivery: WebhookDelivery): WebhookDeliveryView => ({
  id: delivery.id,
  endpointId: delivery.endpointId,
  eventType: delivery.eventType as WebhookEvent,
  contactId: delivery.contactId,
  payload: delivery.payload,
  occurredAt: delivery.occurredAt.toISOString(),
  status: delivery.status as WebhookDeliveryStatus,
  attempts: delivery.attempts,
  nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
  lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
  lastStatusCode: delivery.lastStatusCode,
  lastError: delivery.lastError,
  deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
});
