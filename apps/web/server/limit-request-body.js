/** An RFC 8058 one-click body is 26 bytes; anything much larger is not one. */
export const ONE_CLICK_BODY_LIMIT = 16 * 1024;
/** The largest form the app has (a campaign or policy with its text) is a few KiB. */
export const FORM_BODY_LIMIT = 64 * 1024;
/**
 * The console's import upload (`/admin/imports`): a file of up to 512 MiB, which the page itself
 * refuses by name past that, and the form's other fields.
 */
export const IMPORT_UPLOAD_BODY_LIMIT = 512 * 1024 * 1024 + 1024 * 1024;
const IMPORT_UPLOAD_PATH = /^\/admin\/imports(\.data)?\/?$/;

/** How long, and how many more bytes, a refused client may keep sending before its connection is cut. */
const LINGER_MS = 1000;
const LINGER_BYTES = 1024 * 1024;

/**
 * Caps every request body before Remix reads it: a declared Content-Length over the limit is
 * refused unread, and a body without one (chunked) is counted as it streams and refused the moment
 * it passes the limit. A refused request answers 413 and its body read fails, so the action it was
 * for never runs on a cut-short body; what the client still sends is dropped, and the connection is
 * cut if it keeps sending.
 */
export function limitRequestBody(req, res, next) {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const limit = req.path.startsWith('/u/')
    ? ONE_CLICK_BODY_LIMIT
    : IMPORT_UPLOAD_PATH.test(req.path)
      ? IMPORT_UPLOAD_BODY_LIMIT
      : FORM_BODY_LIMIT;
  // An answer sent before the whole body arrived (a bad one-click token is refused unread) closes
  // the connection instead of reading the rest of the body to keep it alive.
  res.once('finish', () => {
    if (!req.complete) closeSoon(req);
  });
  if (Number(req.get('content-length')) > limit) return refuse(req, res, limit);
  let received = 0;
  const count = (chunk) => {
    received += chunk.length;
    if (received <= limit) return;
    req.off('data', count);
    refuse(req, res, limit);
  };
  req.on('data', count);
  next();
}

/**
 * Thrown into the body stream Remix reads, so an action waiting for the body fails (entry.server.tsx
 * knows it by its name and does not log it).
 */
export class RequestBodyTooLarge extends Error {
  name = 'RequestBodyTooLarge';
}

function refuse(req, res, limit) {
  res.locals.bodyRefused = true;
  if (!res.headersSent) {
    res
      .status(413)
      .set({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(`Request body too large: at most ${limit} bytes are accepted here.\n`);
  }
  // Remix's body stream listens for 'error': fail it now, without destroying the socket that is
  // still carrying the 413. (A listener of our own keeps an unread stream from throwing.)
  req.on('error', () => {});
  req.emit('error', new RequestBodyTooLarge(`request body over ${limit} bytes`));
  closeSoon(req);
}

/**
 * Reads and drops the rest of the body for a moment: a body that ends in time leaves the connection
 * open for the client's next request, one that does not has its connection cut. Cutting at once
 * (or answering `Connection: close`, after which Node closes the socket with the body unread) would
 * reset the connection, and a client still sending could lose the answer.
 */
function closeSoon(req) {
  const socket = req.socket;
  if (!socket || socket.destroyed || req.lingering) return;
  req.lingering = true;
  let dropped = 0;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.once('end', stop);
  socket.once('close', stop);
  req.on('data', (chunk) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) cut();
  });
  req.resume();
}
