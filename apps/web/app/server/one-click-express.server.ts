import type { NextFunction, Request, Response } from 'express';
import { applyOneClick } from './apply-one-click.server';
import { describeClient } from './client.server';
import type { LanguageRequest } from './i18n/language-cookie.server';
import { oneClickAnswer } from './one-click-answer.server';

/**
 * POST /u/{token}, RFC 8058 one-click, answered by server.js in Express before Remix for the body
 * mail providers send (`application/x-www-form-urlencoded`): Remix matches every request against
 * every route of the app and builds Fetch objects for it, which cost more than the consent write
 * itself (decision 026). The same applyOneClick and the same answer as the Remix route
 * (routes/u.$token.tsx), which still takes a multipart body. server.js has already capped the body
 * (limit-request-body.js): a body past the cap fails its read here, after the 413 is out.
 */
export function handleOneClick(req: Request, res: Response, next: NextFunction): void {
  const type = (req.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return next();
  // Collected from now on: limit-request-body.js is already counting the body's chunks as they
  // flow, so a listener added once the token is checked would have missed them.
  const body = type.startsWith('application/x-www-form-urlencoded') ? readBody(req) : null;
  body?.catch(() => undefined);
  answer(req, res, body).catch((error: unknown) => {
    // A body refused as too large has had its 413; anything else is what Remix would answer 500.
    if (res.locals.bodyRefused) return;
    console.error(error);
    if (!res.headersSent) res.status(500).type('text/plain').end('Unexpected Server Error');
  });
}

async function answer(req: Request, res: Response, body: Promise<string> | null): Promise<void> {
  // The language is read from the query (`?lang=`) and the headers: the host plays no part.
  const request: LanguageRequest = {
    url: `http://localhost${req.originalUrl}`,
    headers: { get: (name) => req.get(name) ?? null },
  };
  const client = describeClient(request, {
    ...(req.ip ? { clientIp: req.ip } : {}),
    ...(res.locals.receivedAt ? { receivedAt: res.locals.receivedAt as Date } : {}),
  });
  const outcome = await applyOneClick({
    token: req.params.token,
    // Any other type is not a one-click body, as the Remix route reads it (read-one-click-body.server.ts).
    readListUnsubscribe: async () => (body ? new URLSearchParams(await body).get('List-Unsubscribe') : null),
    client,
  });
  const answered = oneClickAnswer(request, outcome.status, outcome.message);
  res.writeHead(answered.status, answered.headers).end(answered.body);
}

/** The request's body as text (a one-click body is 26 bytes; server.js caps it at 16 KiB). */
function readBody(req: Request): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    // A client gone before the end: nothing more will come (after the end, resolve has run).
    req.once('close', () => reject(new Error('request closed before its body ended')));
  });
}
