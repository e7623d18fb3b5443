/**
 * `jane@example.com` from `"Jane" <jane@example.com>` or ` Jane@Example.com `; null when empty or
 * longer than any address can be (RFC 5321: 254), so one odd event never fails its whole batch.
 */
export function bareAddress(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const inBrackets = /<([^<>]+)>\s*$/.exec(value);
  const address = (inBrackets?.[1] ?? value).trim().toLowerCase();
  return address === '' || address.length > 254 ? null : address;
}
