import { z } from 'zod';
import { defineTemplate } from './define-template.js';
import { WebUrlSchema } from './web-url-schema.js';

const SecuritySignInDataSchema = z.object({
  signInUrl: WebUrlSchema,
  expiresInMinutes: z.number().int().positive(),
});

export const securitySignIn = defineTemplate({
  key: 'security-sign-in',
  categoryKey: 'security',
  schema: SecuritySignInDataSchema,
  // The link signs its holder in: it must not be readable from the database.
  secretVariables: ['signInUrl'],
  fixture: {
    signInUrl: 'https://app.example.com/account/sign-in?token=3q2-fixture-token',
    expiresInMinutes: 15,
  },
});
