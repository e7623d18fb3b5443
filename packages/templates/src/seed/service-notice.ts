import { z } from 'zod';
import { defineTemplate } from './define-template.js';
import { WebUrlSchema } from './web-url-schema.js';

const ServiceNoticeDataSchema = z.object({
  title: z.string().min(1).max(200),
  body: z.string().min(1),
  actionUrl: WebUrlSchema.optional(),
  actionLabel: z.string().min(1).max(60).optional(),
});

export const serviceNotice = defineTemplate({
  key: 'service-notice',
  categoryKey: 'service-notices',
  schema: ServiceNoticeDataSchema,
  fixture: {
    title: 'Scheduled maintenance on Saturday',
    body: 'We will upgrade our database servers on Saturday between 02:00 and 03:00 UTC.\nThe service may be unavailable for up to ten minutes during that window.',
    actionUrl: 'https://status.example.com/maintenance/2025-12-06',
    actionLabel: 'See the status page',
  },
});
