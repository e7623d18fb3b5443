import { randomBytes } from 'node:crypto';

/** Pages whose address is a capability: an unsubscribe or preference token, a sign-in or invitation link. */
const TOKEN_PAGE =
  /^\/(?:u|unsubscribe|preferences|c)\/|^\/account\/sign-in\/|^\/admin\/invitation\/|^\/subscribe\/confirm\//;
/** Pages that show or change one person's data: never kept by a browser or a shared cache. */
const PRIVATE_PAGE = /^\/(?:u|unsubscribe|preferences|c|account|admin)(?:[/_.]|$)/;
/** A year: browsers remember to use https only after a first visit over https. */
const HSTS = 'max-age=31536000';

/**
 * The headers every answer carries. Scripts run only from this site or with the response's nonce
 * (Remix's inline hydration scripts get it through the load context, see entry.server.tsx), so an
 * injected <script> does not run; no site may frame a page; and token pages neither leave their
 * address in a Referer nor stay in a cache. HSTS only when the public address is https: over plain
 * http it would be ignored, and a test or demo server must not pin a name to https.
 */
export function securityHeaders({ https }) {
  return (req, res, next) => {
    const nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    res.set({
      'Content-Security-Policy': `script-src 'self' 'nonce-${nonce}'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
      // Off token pages "same-origin" is enough: nothing carries a capability in its address.
      'Referrer-Policy': TOKEN_PAGE.test(req.path) ? 'no-referrer' : 'same-origin',
    });
    if (PRIVATE_PAGE.test(req.path)) res.set('Cache-Control', 'no-store');
    if (https) res.set('Strict-Transport-Security', HSTS);
    next();
  };
}
