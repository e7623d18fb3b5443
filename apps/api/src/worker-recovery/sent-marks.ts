import type { Queue } from 'bull';
import { within } from '../core/within.js';

type Redis = Queue['client'];

/** The last messages a worker handed to the SMTP server: far more than it can have unrecorded. */
const KEEP = 2000;
const TTL_MS = 24 * 60 * 60 * 1000;

const streamKey = (keyPrefix: string, workerId: string) => `${keyPrefix}:sent-marks:${workerId}`;

/**
 * Writes a worker's "accepted by SMTP" marks: one XADD per message to a capped stream of its own,
 * sent to Redis the moment the SMTP reply is read, before the batched database record. Fire and
 * forget: a lost mark only means the message may be sent again after a crash (at least once).
 */
export function createSentMarker(
  redis: Redis,
  keyPrefix: string,
  workerId: string,
): (messageId: string) => void {
  const key = streamKey(keyPrefix, workerId);
  let written = 0;
  return (messageId) => {
    redis.xadd(key, 'MAXLEN', '~', KEEP, '*', 'm', messageId).catch(() => undefined);
    if (written++ % 500 === 0) redis.pexpire(key, TTL_MS).catch(() => undefined);
  };
}

/** A read that Redis does not answer in this time is a failed read, not an empty one. */
const READ_TIMEOUT_MS = 2000;

/**
 * The messages a (dead) worker marked as accepted by the SMTP server. Rejects when Redis cannot be
 * read (not connected, or no answer within READ_TIMEOUT_MS): "no marks" would mean "send again".
 */
export async function readSentMarks(redis: Redis, keyPrefix: string, workerId: string): Promise<Set<string>> {
  // A client that is not connected would hold the read until Redis returns, stalling its caller.
  if (redis.status !== 'ready') throw new Error(`Redis is not connected (${redis.status})`);
  const entries = await within(
    redis.xrevrange(streamKey(keyPrefix, workerId), '+', '-', 'COUNT', KEEP),
    READ_TIMEOUT_MS,
    'Redis',
  );
  return new Set(entries.map(([, fields]) => fields[1] as string));
}
