import { z } from 'zod';
import { defineTemplate } from './define-template.js';
import { WebUrlSchema } from './web-url-schema.js';

/**
 * The double opt-in of a subscribe form: asks the address someone entered on the form to confirm
 * before it gets any marketing email. Required, so no opt-out stops it: it only goes to the address
 * the form was filled with, and the form's page limits how often.
 */
const SubscriptionConfirmDataSchema = z.object({
  confirmUrl: WebUrlSchema,
  /** The form's name: "Product news". */
  formName: z.string().min(1).max(200),
  /** What confirming subscribes to, in words: "Product news and Promotions". */
  choices: z.string().min(1).max(500),
  expiresInDays: z.number().int().positive(),
});

export const subscriptionConfirm = defineTemplate({
  key: 'subscription-confirm',
  categoryKey: 'security',
  schema: SubscriptionConfirmDataSchema,
  // The link subscribes its holder: like the sign-in link, never readable from the database.
  secretVariables: ['confirmUrl'],
  fixture: {
    confirmUrl: 'https://app.example.com/subscribe/confirm/3q2-fixture-token',
    formName: 'Product news',
    choices: 'Product news and Promotions',
    expiresInDays: 7,
  },
});
