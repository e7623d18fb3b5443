import { createHash } from 'node:crypto';

/** feedback_reports keeps at most this many characters of a provider event id. */
const MAX_LENGTH = 300;

/**
 * The id a provider's event is kept under, `{channel}:{parts joined by ":"}` (`sendgrid:{sg_event_id}`),
 * so a redelivered event applies once. An id too long to keep is replaced by its SHA-256, which
 * still tells the same event from another.
 */
export function providerEventId(channel: string, ...parts: string[]): string {
  const id = `${channel}:${parts.join(':')}`;
  return id.length <= MAX_LENGTH ? id : `${channel}:sha256:${createHash('sha256').update(id).digest('hex')}`;
}
