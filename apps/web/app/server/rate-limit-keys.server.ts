import { clientNetwork } from '@herald/preferences';
import { createHmac } from 'node:crypto';
import { webEnv } from './env.server';

/**
 * The network a rate limit counts a client by: an IPv4 address itself (an IPv4-mapped IPv6 address
 * as its IPv4 form), an IPv6 address by its /64, since one IPv6 host is usually handed a whole /64
 * and per /128 it would get 2^64 fresh counters.
 */
export const limitedNetwork = (ip: string): string => clientNetwork(ip, { ipv4: 32, ipv6: 64 });

/** A limiter's Redis key part for a client address: keyed, so Redis never holds the address. */
export const clientLimitKey = (ip: string): string => keyed('client', limitedNetwork(ip));

/** A limiter's Redis key part for an email address (already normalized), keyed for the same reason. */
export const addressLimitKey = (address: string): string => keyed('address', address);

function keyed(kind: string, value: string): string {
  return createHmac('sha256', webEnv.HERALD_IP_SALT).update(`${kind}:${value}`, 'utf8').digest('base64url');
}
