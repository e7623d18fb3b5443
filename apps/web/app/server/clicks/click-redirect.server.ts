import { verifyClickToken } from '@herald/preferences';
import type { NextFunction, Request, Response } from 'express';
import { signingKeys } from '../env.server';
import { createClickRecorder } from './click-recorder.server';
import { isMachineUserAgent } from './machine-user-agent.server';

const recorder = createClickRecorder();

/**
 * GET and HEAD /c/{token}, answered by server.js in Express before Remix (a Remix route answers a
 * few hundred requests a second; this several thousand): verify the signed token, answer a 302 to
 * exactly the target it names, and hand the click to the batched recorder without waiting for it.
 * A token that does not verify (forged, or its target changed) gets 400 and records nothing. The
 * database is never read: with PostgreSQL down the redirect answers all the same and its click
 * waits in memory (click-recorder.server.ts). The security headers are set by server.js before.
 */
export function handleClick(req: Request, res: Response, next: NextFunction): void {
  try {
    const token = req.params.token ?? '';
    const verified = verifyClickToken(token, signingKeys);
    res.set('Cache-Control', 'no-store');
    if (!verified.ok) {
      res.status(400).type('text/plain').send('This link is not valid.\n');
      return;
    }
    const { messageId, linkIndex, url } = verified.payload;
    const head = req.method === 'HEAD';
    recorder.record({
      messageId,
      linkIndex,
      url,
      clickedAt: new Date(),
      machine: head ? 'head' : isMachineUserAgent(req.get('user-agent')) ? 'user-agent' : null,
    });
    // One hop, to the exact target: never re-encoded, never resolved against anything.
    res.status(302).set('Location', url).end();
  } catch (error) {
    next(error);
  }
}

/** Writes the clicks still waiting, for a server that is stopping. */
export function drainClicks(timeoutMs?: number): Promise<void> {
  return recorder.drain(timeoutMs);
}
