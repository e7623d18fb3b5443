/**
 * `unsubscribe+{token}@{MAIL_DOMAIN}` → the token, or null for any other address. Mail systems
 * may change the case of the local part, so the comparison ignores case (the token is base32).
 */
export function parseUnsubscribeAddress(address: string, mailDomain: string): string | null {
  const match = /^unsubscribe\+([a-z2-7]+)@(.+)$/i.exec(address.trim());
  if (!match?.[1] || match[2]?.toLowerCase() !== mailDomain.toLowerCase()) return null;
  return match[1].toLowerCase();
}
