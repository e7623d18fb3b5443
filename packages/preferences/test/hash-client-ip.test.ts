import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientNetwork } from '../src/client-network.js';
import { hashClientIp } from '../src/hash-client-ip.js';

const SALT = 'a-salt-of-thirty-two-characters!!';

describe('hashClientIp (issue 11, finding 6)', () => {
  it('hashes the /24 of an IPv4 address: one /24 hashes the same, another differs', () => {
    const hash = hashClientIp('203.0.113.7', SALT);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashClientIp('203.0.113.200', SALT)).toBe(hash);
    expect(hashClientIp('203.0.113.0', SALT)).toBe(hash);
    expect(hashClientIp('203.0.114.7', SALT)).not.toBe(hash);
    expect(hashClientIp('204.0.113.7', SALT)).not.toBe(hash);
    // Keyed: the salt is part of it, and the address is not what is hashed.
    expect(hashClientIp('203.0.113.7', `${SALT}-other`)).not.toBe(hash);
    expect(hash).not.toBe(createHmac('sha256', SALT).update('203.0.113.7').digest('hex'));
  });

  it('hashes an IPv4-mapped IPv6 address as its IPv4 form', () => {
    const hash = hashClientIp('203.0.113.7', SALT);
    expect(hashClientIp('::ffff:203.0.113.99', SALT)).toBe(hash);
    expect(hashClientIp('::FFFF:cb00:7163', SALT)).toBe(hash);
    expect(hashClientIp('0:0:0:0:0:ffff:203.0.113.1', SALT)).toBe(hash);
  });

  it('hashes the /48 of an IPv6 address: one /48 hashes the same, another differs', () => {
    const hash = hashClientIp('2001:db8:abcd:12::1', SALT);
    expect(hashClientIp('2001:DB8:ABCD:ffff:1:2:3:4', SALT)).toBe(hash);
    expect(hashClientIp('2001:0db8:abcd::', SALT)).toBe(hash);
    expect(hashClientIp('2001:db8:abcd:12::1%eth0', SALT)).toBe(hash);
    expect(hashClientIp('2001:db8:abce:12::1', SALT)).not.toBe(hash);
    expect(hashClientIp('2001:db9:abcd:12::1', SALT)).not.toBe(hash);
  });

  it('names the network it hashes', () => {
    expect(clientNetwork(' 198.51.100.23 ', { ipv4: 24, ipv6: 48 })).toBe('198.51.100.0/24');
    expect(clientNetwork('198.51.100.23', { ipv4: 20, ipv6: 48 })).toBe('198.51.96.0/20');
    expect(clientNetwork('2001:db8:abcd:12::1', { ipv4: 24, ipv6: 48 })).toBe('2001:db8:abcd:0:0:0:0:0/48');
    expect(clientNetwork('2001:db8:abcd:12ff::1', { ipv4: 24, ipv6: 56 })).toBe(
      '2001:db8:abcd:1200:0:0:0:0/56',
    );
    expect(clientNetwork('::ffff:10.1.2.3', { ipv4: 24, ipv6: 48 })).toBe('10.1.2.0/24');
    expect(clientNetwork('::1', { ipv4: 24, ipv6: 48 })).toBe('0:0:0:0:0:0:0:0/48');
    expect(clientNetwork('unknown', { ipv4: 24, ipv6: 48 })).toBe('unknown');
  });
});
