const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Herald's message id in what a provider hands back: the `X-Herald-Message-Id` header's value (a
 * bare UUID) or the `Message-ID` Herald sets, `<{messageId}@{MAIL_DOMAIN}>`, with or without its
 * angle brackets (Mailgun drops them). Null for anything else: a message id some other system
 * made must not be taken for one of Herald's.
 */
export function heraldMessageId(value: unknown, mailDomain: string): string | null {
  if (typeof value !== 'string') return null;
  const bare = value.trim().replace(/^<(.*)>$/, '$1');
  if (UUID.test(bare)) return bare.toLowerCase();
  const at = bare.lastIndexOf('@');
  if (at < 0 || bare.slice(at + 1).toLowerCase() !== mailDomain.toLowerCase()) return null;
  const local = bare.slice(0, at);
  return UUID.test(local) ? local.toLowerCase() : null;
}
