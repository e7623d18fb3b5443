import { isIPv4, isIPv6 } from 'node:net';

export type NetworkPrefixes = { ipv4: number; ipv6: number };

/**
 * The network a client address is counted or hashed by, as `address/bits`: the address with every
 * bit past the prefix cleared. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is its IPv4 form, so
 * one client is one network whichever way its connection arrived. A string that is no address
 * ("unknown") comes back as given.
 */
export function clientNetwork(ip: string, prefixes: NetworkPrefixes): string {
  const address = ip.trim().toLowerCase().replace(/%.*$/, '');
  if (isIPv4(address)) return ipv4Network(address.split('.').map(Number), prefixes.ipv4);
  if (!isIPv6(address)) return address;
  const groups = ipv6Groups(address);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) {
    const [high = 0, low = 0] = groups.slice(6);
    return ipv4Network([high >> 8, high & 0xff, low >> 8, low & 0xff], prefixes.ipv4);
  }
  return `${masked(groups, 16, prefixes.ipv6)
    .map((group) => group.toString(16))
    .join(':')}/${prefixes.ipv6}`;
}

function ipv4Network(bytes: number[], bits: number): string {
  return `${masked(bytes, 8, bits).join('.')}/${bits}`;
}

/** Keeps the first `bits` bits of a big-endian list of `width`-bit numbers, zeroing the rest. */
function masked(parts: number[], width: number, bits: number): number[] {
  return parts.map((part, index) => {
    const keep = Math.min(width, Math.max(0, bits - index * width));
    const mask = keep === 0 ? 0 : ((1 << width) - 1) & ~((1 << (width - keep)) - 1);
    return part & mask;
  });
}

/** The eight 16-bit groups of a valid IPv6 address: `::` filled in, a dotted IPv4 tail as two groups. */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const groupsOf = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
