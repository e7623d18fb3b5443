const ENHANCED = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

/** The RFC 3463 status ("5.1.1") a provider field holds or a diagnostic text quotes, or null. */
export function enhancedStatus(...texts: unknown[]): string | null {
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    const match = ENHANCED.exec(text);
    if (match?.[1]) return match[1];
  }
  return null;
}
