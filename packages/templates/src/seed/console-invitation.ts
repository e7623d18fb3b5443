import { z } from 'zod';
import { defineTemplate } from './define-template.js';
import { WebUrlSchema } from './web-url-schema.js';

const ConsoleInvitationDataSchema = z.object({
  inviterEmail: z.string().min(3).max(254),
  role: z.enum(['owner', 'marketer', 'operator', 'support', 'viewer']),
  acceptUrl: WebUrlSchema,
  expiresInHours: z.number().int().positive(),
});

/** An owner's invitation to a new console account (issue 13): required, as the person asked for nothing else. */
export const consoleInvitation = defineTemplate({
  key: 'console-invitation',
  categoryKey: 'security',
  schema: ConsoleInvitationDataSchema,
  // The link sets the account's password: it must not be readable from the database.
  secretVariables: ['acceptUrl'],
  fixture: {
    inviterEmail: 'owner@example.com',
    role: 'support',
    acceptUrl: 'https://app.example.com/admin/invitation/3q2-fixture-token',
    expiresInHours: 72,
  },
});
