import type { NextFunction, Request, Response } from 'express';

/**
 * The largest body a provider webhook may send. SendGrid batches many events in one POST and SNS
 * messages reach 256 KiB, so this is more than the API's JSON limit; anything larger is refused
 * with 413 before it is read further.
 */
export const HOOK_BODY_LIMIT = 1024 * 1024;

type RawBodyRequest = Request & { _body?: boolean };

/**
 * Express middleware for /hooks/*: keeps the body as the raw bytes (`req.body`, a Buffer), whatever
 * its content type, since the signatures are over the bytes (SendGrid) and SNS posts JSON as
 * text/plain. Marks the body read, so the JSON parser that follows leaves it alone.
 */
export function readHookBody(request: RawBodyRequest, response: Response, next: NextFunction): void {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > HOOK_BODY_LIMIT) {
    tooLarge(response);
    request.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  request.on('data', (chunk: Buffer) => {
    if (done) return;
    size += chunk.length;
    if (size > HOOK_BODY_LIMIT) {
      done = true;
      tooLarge(response);
      return;
    }
    chunks.push(chunk);
  });
  request.once('end', () => {
    if (done) return;
    done = true;
    request.body = Buffer.concat(chunks);
    request._body = true;
    next();
  });
  request.once('error', (error) => {
    if (done) return;
    done = true;
    next(error);
  });
}

function tooLarge(response: Response): void {
  response
    .status(413)
    .set('connection', 'close')
    .json({
      error: {
        code: 'payload_too_large',
        message: `A webhook body may be at most ${HOOK_BODY_LIMIT} bytes.`,
      },
    });
}
