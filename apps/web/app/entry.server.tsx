import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { renderToPipeableStream } from 'react-dom/server';
import { CspNonceContext } from './csp-nonce';
import { withoutStrayNulBytes } from './server/html-stream.server';

// server.js reads the validated environment (its port, trust-proxy setting, whether it is served
// over https) from here, so the environment is parsed once, when the build is imported, and a bad
// variable stops the start.
export { isHttps, webEnv } from './server/env.server';
// Tracked links (/c/{token}) are answered by server.js in Express, before Remix, for speed.
export { drainClicks, handleClick } from './server/clicks/click-redirect.server';
// And so are RFC 8058 one-click posts with a url-encoded body (/u/{token}).
export { handleOneClick } from './server/one-click-express.server';

const ABORT_DELAY = 5_000;

/**
 * Pages are rendered whole before the first byte (onAllReady): they are small, have no
 * deferred data, and must read the same for a person, a screen reader and a link scanner.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let status = responseStatusCode;
    const { pipe, abort } = renderToPipeableStream(
      <CspNonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </CspNonceContext.Provider>,
      {
        ...(nonce ? { nonce } : {}),
        onAllReady() {
          const body = withoutStrayNulBytes();
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          // A page's language follows these headers (choose-language.server.ts): a cache must not
          // give one reader's language to another.
          responseHeaders.append('Vary', 'Accept-Language, Cookie');
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          status = 500;
          console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Errors Remix caught in a loader or action are logged, except a request the client gave up on and
 * a body server.js refused as too large (already answered 413; the action only saw its read fail).
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted || isRequestBodyTooLarge(error)) return;
  console.error(error);
};

function isRequestBodyTooLarge(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause.name === 'RequestBodyTooLarge') return true;
  }
  return false;
}
