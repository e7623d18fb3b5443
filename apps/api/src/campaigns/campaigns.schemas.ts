import { z } from 'zod';
import { EmailSchema, IdSchema, KebabKeySchema, TimezoneSchema } from '../core/common-schemas.js';
import { AudienceSchema } from './audience.js';

/** An ISO 8601 date-time: with an offset ("Z", "+02:00") it is an instant; without, a wall-clock time in `timezone`. */
export const SendAtSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/,
    'must be an ISO 8601 date-time such as "2026-12-01T09:00" (in `timezone`) or "2026-12-01T09:00:00Z"',
  );

const CampaignDataSchema = z.record(z.string(), z.unknown());

export const CreateCampaignSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  template: KebabKeySchema,
  data: CampaignDataSchema.default({}),
  audience: AudienceSchema.default({}),
  /** Left out: the campaign is a draft, scheduled later with POST /v1/campaigns/:id/schedule. */
  sendAt: SendAtSchema.optional(),
  timezone: TimezoneSchema.default('UTC'),
  /** Send at sendAt's wall-clock time in each contact's own time zone, within the 24 hours after sendAt. */
  localTime: z.boolean().default(false),
  ratePerSecond: z.number().int().min(1).max(100_000).optional(),
});
export type CreateCampaignInput = z.output<typeof CreateCampaignSchema>;

export const ScheduleCampaignSchema = z.strictObject({
  sendAt: SendAtSchema.optional(),
  timezone: TimezoneSchema.optional(),
  localTime: z.boolean().optional(),
});
export type ScheduleCampaignInput = z.output<typeof ScheduleCampaignSchema>;

export const AudiencePreviewSchema = z.strictObject({
  template: KebabKeySchema,
  audience: AudienceSchema.default({}),
});

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled'] as const;

export const ListCampaignsSchema = z.strictObject({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** The id of the last campaign of the previous page. */
  after: IdSchema.optional(),
});

export const PreviewCampaignSchema = z.strictObject({
  /** Render as this contact would get it; sample recipient data when left out. */
  contactId: IdSchema.optional(),
});

export const TestSendSchema = z.strictObject({ email: EmailSchema });

export const TimelineSchema = z.strictObject({
  /** Seconds per point; chosen from the campaign's duration when left out. */
  bucket: z.coerce.number().int().min(1).max(86_400).optional(),
});
