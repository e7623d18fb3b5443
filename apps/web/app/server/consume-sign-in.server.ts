import { db } from './db.server';
import type { ContactLanguage } from './i18n/choose-language.server';
import { hashSignInToken } from './sign-in-token.server';

/**
 * Uses a sign-in link: the conditional update lets exactly one request win, so a link signs in
 * once, and never after it expires or once its contact is erased. Returns the contact id or null.
 */
export async function consumeSignIn(token: string): Promise<string | null> {
  const row = await db.signInToken.findUnique({
    where: { tokenHash: hashSignInToken(token) },
    select: { id: true, contactId: true, contact: { select: { erasedAt: true } } },
  });
  if (!row || row.contact.erasedAt) return null;
  const now = new Date();
  const { count } = await db.signInToken.updateMany({
    where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1 ? row.contactId : null;
}

/**
 * Whether the link would still sign in, without using it (the page a GET shows): its contact's
 * stored locale and time zone when it would, for the page's language; null when it would not.
 */
export async function usableSignInContact(token: string): Promise<ContactLanguage | null> {
  const row = await db.signInToken.findUnique({
    where: { tokenHash: hashSignInToken(token) },
    select: {
      usedAt: true,
      expiresAt: true,
      contact: { select: { erasedAt: true, locale: true, timezone: true } },
    },
  });
  if (!row || row.usedAt || row.expiresAt <= new Date() || row.contact.erasedAt) return null;
  return { locale: row.contact.locale, timezone: row.contact.timezone };
}
