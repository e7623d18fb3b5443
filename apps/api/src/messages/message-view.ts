import type { MessageView } from '@herald/contract';
import type { Message, MessageEvent } from '@herald/db';

export function toMessageView(
  message: Message & { template?: { key: string; version: number }; events?: MessageEvent[] },
): MessageView {
  return {
    id: message.id,
    status: message.status,
    class: message.class,
    category: message.categoryKey,
    contactId: message.contactId,
    campaignId: message.campaignId,
    ...(message.template && { template: message.template.key, templateVersion: message.template.version }),
    ...(message.reason && { reason: message.reason }),
    attempts: message.attempts,
    createdAt: message.createdAt.toISOString(),
    sentAt: message.sentAt?.toISOString() ?? null,
    ...(message.events && {
      events: message.events.map((event) => ({
        type: event.type,
        at: event.occurredAt.toISOString(),
        ...(event.detail !== null && { detail: event.detail }),
      })),
    }),
  };
}
