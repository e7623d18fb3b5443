import { normalizeAddress } from '@herald/preferences';
import { z } from 'zod';
import { db } from './db.server';
import { sendSignInLink } from './send-sign-in-link.server';

const EmailSchema = z.email();

/**
 * Sends a sign-in link if a contact has this address. The caller answers the same page either
 * way, and the link is sent after the answer, so neither the page nor its timing tells whether
 * the address is known. Returns false only for input that is not an email address.
 */
export async function requestSignIn(rawEmail: unknown): Promise<boolean> {
  const parsed = EmailSchema.safeParse(typeof rawEmail === 'string' ? rawEmail.trim() : rawEmail);
  if (!parsed.success) return false;
  const contact = await db.contact.findUnique({
    where: { email: normalizeAddress(parsed.data) },
    select: { id: true, erasedAt: true },
  });
  if (contact && !contact.erasedAt) {
    sendSignInLink(contact.id).catch((error: Error) =>
      console.error(`sign-in link not sent: ${error.message}`),
    );
  }
  return true;
}
