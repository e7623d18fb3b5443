import { MAX_TRACKED_URL_BYTES, isTrackableUrl, signClickToken, type SigningKey } from '@herald/preferences';
import type { CampaignUtm } from '../campaigns/campaign-gate.js';

type Rendered = { subject: string; html: string; text: string };

/**
 * Click tracking's step after rendering (docs/decisions/022-click-tracking.md): every http(s) link
 * of the HTML part (`<a href>`) and every http(s) address of the plain-text part becomes
 * `{PUBLIC_WEB_URL}/c/{token}`, where the token is signed and names the message, the link and its
 * exact target. Left as they are: the message's unsubscribe and preference links and every other
 * page of the public web app (a sign-in link is a capability, never stored in a click row), and
 * anything that is not http(s) (mailto:, tel:). The List-Unsubscribe headers are not touched here.
 * The same target gets the same link index (and token) in both parts.
 */
export function trackLinks(
  rendered: Rendered,
  {
    messageId,
    publicWebUrl,
    keys,
    utm,
  }: {
    messageId: string;
    publicWebUrl: string;
    keys: readonly SigningKey[];
    utm: CampaignUtm | null;
  },
): Rendered {
  const base = publicWebUrl.replace(/\/+$/, '');
  const tracked = new Map<string, string | null>();
  const trackedUrl = (original: string): string | null => {
    const known = tracked.get(original);
    if (known !== undefined) return known;
    let result: string | null = null;
    if (isTrackableUrl(original) && !isOwnPage(original, base)) {
      const target = withUtm(original, utm);
      if (Buffer.byteLength(target) <= MAX_TRACKED_URL_BYTES) {
        const linkIndex = [...tracked.values()].filter((value) => value !== null).length;
        result = `${base}/c/${signClickToken({ messageId, linkIndex, url: target }, keys)}`;
      }
    }
    tracked.set(original, result);
    return result;
  };

  const html = rendered.html.replace(
    ANCHOR_HREF,
    (whole, before: string, quote: string, value: string, after: string) => {
      const replacement = trackedUrl(decodeEntities(value).trim());
      return replacement === null
        ? whole
        : `${before}${quote}${escapeAttribute(replacement)}${quote}${after}`;
    },
  );
  const text = rendered.text.replace(TEXT_URL, (found: string) => {
    // A sentence's full stop or a closing bracket after an address is not part of it.
    const [, url = found, trailing = ''] = /^(.*?)([.,;:!?)\]]*)$/s.exec(found) ?? [];
    const replacement = trackedUrl(decodeEntities(url));
    return replacement === null ? found : `${replacement}${trailing}`;
  });
  return { subject: rendered.subject, html, text };
}

/** `<a … href="…" …>`: the attribute's value in double or single quotes. */
const ANCHOR_HREF = /(<a\b[^>]*?\shref\s*=\s*)(["'])([^"']*)\2([^>]*>)/gi;
/** An http(s) address in running text, up to a space, a bracket or a quote. */
const TEXT_URL = /https?:\/\/[^\s<>"'[\]]+/gi;

/**
 * The public web app's own token pages: the unsubscribe, one-click and preference links, the
 * account and its sign-in links, the console, subscription confirmations, other tracked links.
 * Never wrapped: they must work without a redirect, and their tokens are capabilities that do not
 * belong in a click row. Other pages of the same site are tracked like any address.
 */
function isOwnPage(url: string, base: string): boolean {
  if (!url.startsWith(`${base}/`)) return false;
  return TOKEN_PAGE.test(url.slice(base.length));
}

const TOKEN_PAGE =
  /^\/(?:u|unsubscribe|preferences|c)\/|^\/(?:account|admin)(?:[/_.?#]|$)|^\/subscribe\/confirm\//;

/** The campaign's UTM parameters, added unless the target already has them (before any #fragment). */
function withUtm(url: string, utm: CampaignUtm | null): string {
  if (!utm) return url;
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const existing = new URLSearchParams(queryAt === -1 ? '' : beforeHash.slice(queryAt + 1));
  const added = new URLSearchParams();
  for (const [name, value] of [
    ['utm_source', utm.source],
    ['utm_medium', utm.medium],
    ['utm_campaign', utm.campaign],
  ] as const) {
    if (value && !existing.has(name)) added.set(name, value);
  }
  if ([...added.keys()].length === 0) return url;
  const separator = queryAt === -1 ? '?' : beforeHash.endsWith('?') || beforeHash.endsWith('&') ? '' : '&';
  return `${beforeHash}${separator}${added.toString()}${fragment}`;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** An attribute value as the browser reads it: Handlebars writes & as &amp;, = as &#x3D; and so on. */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}
