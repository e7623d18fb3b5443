import { z } from 'zod';
import { defineTemplate } from './define-template.js';
import { WebUrlSchema } from './web-url-schema.js';

const WebhookEndpointDisabledDataSchema = z.object({
  /**
   * The endpoint as host and path, shown as text rather than a link (it receives events; it is no
   * page to open): no scheme, and no query string or credentials, which may hold a token.
   */
  endpointUrl: z.string().min(1).max(2000),
  /** Why it was disabled: "deliveries failed for longer than 86400 s (last: HTTP 503)". */
  reason: z.string().min(1).max(1000),
  /** When, in words: "2026-12-30 10:15 UTC". */
  disabledAt: z.string().min(1).max(100),
  /** The console's Webhooks page, where it is enabled again (PUBLIC_WEB_URL/admin/webhooks). */
  consoleUrl: WebUrlSchema.optional(),
});

/**
 * Tells every console owner that the worker disabled a webhook endpoint after its retry window:
 * required, so an owner's preferences never hold back the one mail that says their events stopped.
 */
export const webhookEndpointDisabled = defineTemplate({
  key: 'webhook-endpoint-disabled',
  categoryKey: 'security',
  schema: WebhookEndpointDisabledDataSchema,
  fixture: {
    endpointUrl: 'app.example.com/herald-events',
    reason: 'deliveries failed for longer than 86400 s (last: HTTP 503)',
    disabledAt: '2026-12-30 10:15 UTC',
    consoleUrl: 'https://app.example.com/admin/webhooks',
  },
});
