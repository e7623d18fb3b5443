import { z } from 'zod';
import { EmailSchema, IdSchema, KebabKeySchema, type MessageClass } from './common.js';
import { TemplateDataSchema } from './template-data.js';

export const SendMessageSchema = z.strictObject({
  template: KebabKeySchema,
  to: z.union([z.strictObject({ contactId: IdSchema }), z.strictObject({ email: EmailSchema })], {
    error: 'must be { "contactId": "<uuid>" } or { "email": "<address>" }',
  }),
  data: TemplateDataSchema.default({}),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type SendMessageInput = z.output<typeof SendMessageSchema>;

/** The most messages POST /v1/messages/batch takes in one request. */
export const MAX_BATCH_MESSAGES = 1000;

/**
 * POST /v1/messages/batch: the envelope only. Each item is parsed on its own with SendMessageSchema,
 * so a bad item is answered in its own result and never fails the others.
 */
export const SendMessageBatchSchema = z.strictObject({
  messages: z
    .array(z.unknown(), { error: 'must be an array of messages' })
    .min(1, { error: 'must hold at least one message' })
    .max(MAX_BATCH_MESSAGES, {
      error: `must hold at most ${MAX_BATCH_MESSAGES.toLocaleString('en')} messages`,
    }),
});

/** The same request as the OpenAPI document shows it: each item is a single send's body. */
export const SendMessageBatchDocumentSchema = z.strictObject({
  messages: z.array(SendMessageSchema).min(1).max(MAX_BATCH_MESSAGES),
});

/** One result per item, in order: the message accepted (or replayed by its key), or the item's own error. */
export type SendMessageBatchResult =
  | { id: string; status: MessageStatus }
  | { error: { code: string; message: string; details?: unknown } };

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'suppressed', 'failed', 'bounced'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const ListMessagesSchema = z.strictObject({
  contactId: IdSchema.optional(),
  campaignId: IdSchema.optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** The id of the last message of the previous page. */
  after: IdSchema.optional(),
});

export interface MessageEventView {
  type: string;
  at: string;
  detail?: unknown;
}

export interface MessageView {
  id: string;
  status: MessageStatus;
  class: MessageClass;
  category: string;
  contactId: string;
  campaignId: string | null;
  /** Present when the template was loaded with the message. */
  template?: string;
  templateVersion?: number;
  /** Why it was suppressed, failed or bounced. */
  reason?: string;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  /** Present on GET /v1/messages/{id}. */
  events?: MessageEventView[];
}
