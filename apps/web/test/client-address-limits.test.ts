import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '@herald/test-support';

/**
 * Issue 11, finding 15: the web's limits count an IPv6 client by its /64 (one host usually holds a
 * whole /64), an IPv4-mapped address as its IPv4 form and an IPv4 address by itself; a hop-count
 * WEB_TRUST_PROXY takes the client address from the proxy's own entry, so a client cannot escape
 * the limit by making up X-Forwarded-For entries; and WEB_TRUST_PROXY=true is warned about.
 */
const LIMIT = 3;
let web: WebServer;

beforeAll(async () => {
  web = await startWebServer({ TOKEN_FAILURE_RATE_LIMIT: String(LIMIT) });
});
afterAll(async () => {
  await web?.stop();
});

/** A one-click with a bad token, its client named by X-Forwarded-For (the test is the trusted loopback proxy). */
async function badLink(server: WebServer, forwardedFor: string) {
  const response = await fetch(`${server.url}/u/not-a-valid-token`, {
    method: 'POST',
    body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    headers: { 'x-forwarded-for': forwardedFor },
  });
  return response.status;
}

async function statuses(server: WebServer, clients: string[]) {
  const answers: number[] = [];
  for (const client of clients) answers.push(await badLink(server, client));
  return answers;
}

describe('client addresses in the failure limit', () => {
  it('counts every address of one IPv6 /64 together, and another /64 of the same /48 apart', async () => {
    const sameNetwork = ['2001:db8:a:b::1', '2001:db8:a:b::2', '2001:db8:a:b:ffff::3', '2001:db8:a:b::4'];
    expect(await statuses(web, sameNetwork)).toEqual([400, 400, 400, 429]);
    expect(await badLink(web, '2001:db8:a:c::1')).toBe(400);
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address, and IPv4 neighbours apart', async () => {
    const oneClient = ['198.51.100.20', '::ffff:198.51.100.20', '198.51.100.20', '::ffff:198.51.100.20'];
    expect(await statuses(web, oneClient)).toEqual([400, 400, 400, 429]);
    expect(await badLink(web, '198.51.100.21')).toBe(400);
  });
});

describe('WEB_TRUST_PROXY', () => {
  it('with a hop count, made-up X-Forwarded-For entries before the proxy’s do not make new clients', async () => {
    const behindOneProxy = await startWebServer({
      TOKEN_FAILURE_RATE_LIMIT: String(LIMIT),
      WEB_TRUST_PROXY: '1',
    });
    try {
      const forged = [1, 2, 3, 4].map((n) => `203.0.113.${n}, 192.0.2.50`);
      expect(await statuses(behindOneProxy, forged)).toEqual([400, 400, 400, 429]);
      expect(behindOneProxy.output()).not.toContain('WEB_TRUST_PROXY=true');
    } finally {
      await behindOneProxy.stop();
    }
  });

  it('warns at start when it is true, which believes any X-Forwarded-For', async () => {
    const trustsAll = await startWebServer({ WEB_TRUST_PROXY: 'true' });
    try {
      expect(trustsAll.output()).toContain('WEB_TRUST_PROXY=true trusts X-Forwarded-For from anyone');
    } finally {
      await trustsAll.stop();
    }
  });
});
