import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../src/index.js';
import { transportTo } from './send.js';

/**
 * Issue 11, finding 13 (DNS rebinding): a page on another site that points its own name at
 * 127.0.0.1 reaches the inbox with that name in `Host`. The inbox answers loopback names only.
 */
let catcher: MailCatcher;
let port: number;

beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  port = Number(new URL(catcher.webUrl ?? '').port);
  const transport = transportTo(catcher);
  await transport.sendMail({
    from: 'Herald <noreply@mail.example.test>',
    to: 'ada@example.test',
    subject: 'Your sign-in link',
    text: 'https://prefs.example.test/account/sign-in/secret-link-token',
  });
  transport.close();
  await catcher.waitFor((message) => message.subject === 'Your sign-in link');
});
afterAll(async () => {
  await catcher?.close();
});

/** node:http, because fetch does not let a caller choose the Host header. */
function get(path: string, host: string | null, method = 'GET') {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, setHost: host !== null }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    if (host !== null) req.setHeader('host', host);
    req.on('error', reject);
    req.end();
  });
}

describe('the web inbox Host check', () => {
  it.each([
    'localhost',
    'localhost:1080',
    '127.0.0.1',
    '127.0.0.1:1080',
    '[::1]',
    '[::1]:1080',
    'LOCALHOST:80',
  ])('answers Host %s', async (host) => {
    const inbox = await get('/api/messages', host);
    expect(inbox.status).toBe(200);
    expect(inbox.body).toContain('Your sign-in link');
  });

  it.each([
    'attacker.example',
    'attacker.example:1080',
    'localhost.attacker.example',
    '127.0.0.1.nip.io',
    '[::1].attacker.example',
    '::1',
    '0.0.0.0',
  ])('refuses Host %s with 403 and shows no mail', async (host) => {
    for (const path of ['/', '/api/messages']) {
      const refused = await get(path, host);
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('Host not allowed');
      expect(refused.body).not.toContain('sign-in');
    }
  });

  it('refuses a request without a Host header, and a cross-host POST /clear clears nothing', async () => {
    // Node's HTTP parser answers an HTTP/1.1 request without Host 400 before the inbox sees it.
    expect([400, 403]).toContain((await get('/api/messages', null)).status);
    expect((await get('/clear', 'attacker.example', 'POST')).status).toBe(403);
    expect(catcher.messages()).toHaveLength(1);
  });
});
