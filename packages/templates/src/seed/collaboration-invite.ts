import { z } from 'zod';
import { defineTemplate } from './define-template.js';
import { WebUrlSchema } from './web-url-schema.js';

const CollaborationInviteDataSchema = z.object({
  inviterName: z.string().min(1).max(120),
  workspaceName: z.string().min(1).max(120),
  acceptUrl: WebUrlSchema,
});

export const collaborationInvite = defineTemplate({
  key: 'collaboration-invite',
  categoryKey: 'collaboration-invites',
  schema: CollaborationInviteDataSchema,
  fixture: {
    inviterName: 'Priya Raman',
    workspaceName: 'Q3 Launch Plan',
    acceptUrl: 'https://app.example.com/invitations/accept/7f3c-fixture',
  },
});
