import { normalizeAddress } from '@herald/preferences';
import { z } from 'zod';
import type { Client } from './client.server';
import { db } from './db.server';
import { sendSignInLink } from './send-sign-in-link.server';
import { maySendSignInLink } from './sign-in-request-limit.server';

const EmailSchema = z.email();

/**
 * Sends a sign-in link if a contact has this address and the request is within its limits. The
 * caller answers the same page either way, and the link is sent after the answer, so neither the
 * page nor its timing tells whether the address is known or a link went out. Returns false only
 * for input that is not an email address.
 *
 * Each request within the limit mails a new link, also while an earlier one is still unused: that
 * link cannot be sent again (only its hash is kept), and a person whose first mail went astray
 * should not wait 15 minutes for another. The limit is what bounds the mail.
 */
export async function requestSignIn(rawEmail: unknown, client: Client): Promise<boolean> {
  const parsed = EmailSchema.safeParse(typeof rawEmail === 'string' ? rawEmail.trim() : rawEmail);
  if (!parsed.success) return false;
  const address = normalizeAddress(parsed.data);
  if (!(await maySendSignInLink(address, client))) return true;
  const contact = await db.contact.findUnique({
    where: { email: address },
    select: { id: true, erasedAt: true },
  });
  if (contact && !contact.erasedAt) {
    sendSignInLink(contact.id).catch((error: Error) =>
      console.error(`sign-in link not sent: ${error.message}`),
    );
  }
  return true;
}
