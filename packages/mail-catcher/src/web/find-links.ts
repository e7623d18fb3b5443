/** The URIs of a List-Unsubscribe value: each is inside angle brackets (RFC 2369). */
export function parseListUnsubscribe(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/<([^>]*)>/g)].map((match) => (match[1] ?? '').replace(/\s+/g, ''));
}

/** http(s) and mailto links in an HTML part, in order, without duplicates. */
export function findHtmlLinks(html: string): string[] {
  const links = new Set<string>();
  for (const match of html.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi)) {
    const href = decodeEntities((match[1] ?? match[2] ?? match[3] ?? '').trim());
    if (isSafeLink(href)) links.add(href);
  }
  return [...links];
}

/** Only these schemes become clickable: never javascript: or data:. */
export function isSafeLink(uri: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(uri);
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|quot|apos|lt|gt);/gi, (entity, code: string) => {
    const lower = code.toLowerCase();
    const point = lower.startsWith('#x')
      ? parseInt(lower.slice(2), 16)
      : lower.startsWith('#')
        ? parseInt(lower.slice(1), 10)
        : -1;
    if (point >= 0) return point <= 0x10ffff ? String.fromCodePoint(point) : entity;
    const named: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };
    return named[lower] ?? entity;
  });
}
