import { createHmac, timingSafeEqual } from 'node:crypto';
import { signingKeys } from '../env.server';

/**
 * The least time a person takes to fill a subscribe form; a post sooner than this is a bot's. Tests
 * set SUBSCRIBE_MIN_FILL_MS lower so they need not wait.
 */
const MIN_FILL_MS = 3_000;
/** A page left open longer than this is stale: its post is treated like one without a stamp. */
const MAX_FILL_MS = 24 * 60 * 60_000;

export const minFillMs = (): number => {
  const override = Number(process.env.SUBSCRIBE_MIN_FILL_MS);
  return Number.isInteger(override) && override >= 0 ? override : MIN_FILL_MS;
};

// A key of its own, derived from the first token key with a fixed label: a stamp is never a token.
const stampKey = createHmac('sha256', signingKeys[0]?.secret ?? Buffer.alloc(0))
  .update('herald-subscribe-fill-stamp')
  .digest();

const mac = (formKey: string, startedAt: number) =>
  createHmac('sha256', stampKey).update(`${formKey}.${startedAt}`).digest('base64url');

/** The hidden fill-start stamp of a form's page: when it was served, signed so no one can backdate it. */
export function signFillStamp(formKey: string, now = Date.now()): string {
  return `${now}.${mac(formKey, now)}`;
}

/**
 * `missing`: no stamp, a forged or a stale one (the embedded snippet carries none); `too-fast`:
 * posted sooner than the minimum fill time; `ok`: a person's pace.
 */
export function checkFillStamp(
  formKey: string,
  stamp: string,
  now = Date.now(),
): 'missing' | 'too-fast' | 'ok' {
  const [time, signature] = stamp.split('.');
  const startedAt = Number(time);
  if (!time || !signature || !Number.isSafeInteger(startedAt)) return 'missing';
  const expected = Buffer.from(mac(formKey, startedAt));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'missing';
  const elapsed = now - startedAt;
  if (elapsed > MAX_FILL_MS) return 'missing';
  return elapsed < minFillMs() ? 'too-fast' : 'ok';
}
