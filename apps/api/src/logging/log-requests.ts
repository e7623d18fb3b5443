import type { NextFunction, Request, Response } from 'express';
import { readCaller } from '../core/caller.js';
import type { HeraldLogger } from './herald-logger.js';

/**
 * One line per HTTP request, once its response has ended: method, the route's path template (never
 * the URL as sent, which can hold an address or a token; null for no route), status, duration and who
 * called, as a name (`callerName`), never a key. Installed before every route (create-api-app.ts).
 */
export function logRequests(logger: HeraldLogger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!logger.eventsEnabled) return next();
    const started = process.hrtime.bigint();
    response.once('close', () => {
      const ms = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      const route = (request.route as { path?: unknown } | undefined)?.path;
      const path = typeof route === 'string' ? `${request.baseUrl}${route}` : null;
      const caller = readCaller(request);
      logger.event('HTTP', `${request.method} ${path ?? '(no route)'} ${response.statusCode} ${ms} ms`, {
        method: request.method,
        route: path,
        status: response.statusCode,
        ms,
        caller: caller ? callerName(caller.actor) : null,
        // The client went away before the answer was written.
        ...(!response.writableFinished && { aborted: true }),
      });
    });
    next();
  };
}

/** The audit log's actor as a log may show it: a key's name, "bootstrap", "web" or "console" (no address). */
export function callerName(actor: string): string {
  if (actor === 'bootstrap-key') return 'bootstrap';
  if (actor === 'web-key') return 'web';
  if (actor.startsWith('key:')) return actor.slice('key:'.length);
  if (actor.startsWith('admin:')) return 'console';
  return 'unknown';
}
