import { z } from 'zod';

const MAX_USER_AGENT_LENGTH = 512;

/**
 * A request's user agent as the consent log keeps it. It is evidence, not input to
 * refuse: an odd header must never make an unsubscribe fail, so it is trimmed, not rejected.
 */
export const UserAgentSchema = z
  .string()
  .transform((userAgent) => userAgent.replace(/\0/g, '').slice(0, MAX_USER_AGENT_LENGTH));
