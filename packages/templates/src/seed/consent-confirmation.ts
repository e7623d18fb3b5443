import { z } from 'zod';
import { defineTemplate } from './define-template.js';
import { WebUrlSchema } from './web-url-schema.js';

/**
 * Asks a contact to confirm an opt-in that a preference link could not make by itself (an old link,
 * or another category than the link's: docs/decisions/014). Required, so no opt-out stops it: it only
 * ever goes to the contact's own address, at its request.
 */
const ConsentConfirmationDataSchema = z.object({
  confirmUrl: WebUrlSchema,
  /** What confirming turns on, in words: "Product news and all marketing email". */
  choices: z.string().min(1).max(500),
  expiresInMinutes: z.number().int().positive(),
});

export const consentConfirmation = defineTemplate({
  key: 'consent-confirmation',
  categoryKey: 'security',
  schema: ConsentConfirmationDataSchema,
  // The link turns marketing on for its holder: like the sign-in link, never readable from the database.
  secretVariables: ['confirmUrl'],
  fixture: {
    confirmUrl: 'https://app.example.com/preferences/confirm/3q2-fixture-token',
    choices: 'Product news and all marketing email',
    expiresInMinutes: 60,
  },
});
