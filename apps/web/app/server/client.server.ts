import type { AppLoadContext } from '@remix-run/node';
import { hashClientIp } from '@herald/preferences';
import { webEnv } from './env.server';

/**
 * Who is asking, as the consent log records it: a salted hash of the address, never the address;
 * and when the request arrived (the consent log's requested_at).
 */
export type Client = { ip: string; ipHash: string; userAgent?: string; receivedAt: Date };

/** What describeClient reads: a request's headers (a Fetch Request's, or server.js's Express one's) and the load context. */
export function describeClient(
  request: { headers: { get(name: string): string | null } },
  context: Pick<AppLoadContext, 'clientIp' | 'receivedAt'>,
): Client {
  const ip = context.clientIp ?? 'unknown';
  const userAgent = request.headers.get('user-agent') ?? undefined;
  return {
    ip,
    ipHash: hashClientIp(ip, webEnv.HERALD_IP_SALT),
    ...(userAgent ? { userAgent } : {}),
    receivedAt: context.receivedAt ?? new Date(),
  };
}
