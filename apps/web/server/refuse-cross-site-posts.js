const NOT_ALLOWED_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not allowed</title></head>' +
  '<body><main><h1>Not allowed</h1><p>This form can only be sent from this site. Nothing was changed.</p></main></body></html>';

/**
 * Remix aborts a page-route POST whose Origin is another host (its CSRF guard) by answering 500
 * with no body. Answer the same requests here, by the same rule, with a 403 page instead.
 * The one-click route is exempt: mail providers post to it cross-site, and Remix does not
 * guard resource routes either.
 *
 * One exception to Remix's rule: a form posted from a token page, whose Referrer-Policy is
 * "no-referrer", arrives with `Origin: null` (browsers hide the origin along with the referrer).
 * When the browser also says `Sec-Fetch-Site: same-origin`, which no page can set, the post is
 * this site's own: its Origin header is dropped so that Remix's guard lets it through.
 */
export function refuseCrossSitePosts(req, res, next) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.path.startsWith('/u/')) return next();
  // A subscribe form embedded on another site posts to /subscribe/{form} cross-site by design: a
  // honeypot, a minimum fill time and rate limits guard it, and nothing is subscribed before the
  // address confirms by mail. Its Origin is dropped so that Remix's guard lets it through too. The
  // confirmation page (/subscribe/confirm/…) is not exempt.
  if (/^\/subscribe\/(?!confirm\/)[^/]+\/?$/.test(req.path)) {
    delete req.headers.origin;
    return next();
  }
  const origin = req.get('origin');
  if (!origin) return next();
  if (origin === 'null' && req.get('sec-fetch-site') === 'same-origin') {
    delete req.headers.origin;
    return next();
  }
  const host = (req.get('x-forwarded-host') ?? '').split(',')[0].trim() || req.get('host');
  let originHost = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    // "null" (an opaque origin) and malformed values are refused below, as Remix would
  }
  if (originHost && originHost === host) return next();
  res.status(403).type('html').send(NOT_ALLOWED_PAGE);
}
