import { z } from 'zod';
import { defineTemplate } from './define-template.js';
import { WebUrlSchema } from './web-url-schema.js';

const PolicyUpdateDataSchema = z.object({
  policyTitle: z.string().min(1).max(120),
  summary: z.string().min(1),
  /** Already formatted for the reader (the sender knows the locale and time zone). */
  effectiveDate: z.string().min(1),
  policyUrl: WebUrlSchema,
});

export const policyUpdate = defineTemplate({
  key: 'policy-update',
  categoryKey: 'policy-updates',
  schema: PolicyUpdateDataSchema,
  fixture: {
    policyTitle: 'Privacy Policy',
    summary:
      'We now keep support conversations for 12 months instead of 24, and we list every service provider that processes your data.',
    effectiveDate: '1 March 2026',
    policyUrl: 'https://example.com/legal/privacy/2026-03',
  },
});
