import { z } from 'zod';
import type { MessageStatus } from './messages.js';

export const ListNoticesSchema = z.strictObject({
  /** "true": only notices not yet acknowledged (the account page's list); "false": only acknowledged ones. */
  pending: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

/** An in-app notice as the account page shows it: the policy change, and whether it was acknowledged. */
export interface NoticeView {
  id: string;
  contactId: string;
  policy: { id: string; version: string; title: string; summary: string; url: string; effectiveAt: string };
  postedAt: string;
  acknowledged: boolean;
  acknowledgedAt: string | null;
  /** The notice's email, or null when the contact had no address (the in-app notice is the only one). */
  email: { messageId: string; status: MessageStatus; sentAt: string | null } | null;
}
