import { createHmac } from 'node:crypto';
import { clientNetwork } from './client-network.js';

/**
 * The consent log's record of where a request came from: an HMAC, under HERALD_IP_SALT, of the
 * client's network (IPv4 /24, IPv6 /48), never of the address itself. A salted hash of a whole IPv4
 * address can still be reversed by hashing all 2^32 addresses with a leaked salt; of a network it
 * names only a neighbourhood of many clients, which is all the log needs to tell requests apart.
 */
export function hashClientIp(ip: string, salt: string): string {
  const network = clientNetwork(ip, { ipv4: 24, ipv6: 48 });
  return createHmac('sha256', salt).update(network, 'utf8').digest('hex');
}
