import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type CaughtMessage, type MailCatcher } from '../src/index.js';
import { transportTo } from './send.js';

let catcher: MailCatcher;
let message: CaughtMessage;
let web: string;

beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  web = catcher.webUrl ?? '';
  const transport = transportTo(catcher);
  await transport.sendMail({
    from: 'Herald <noreply@mail.example.test>',
    to: 'ada@example.test',
    subject: 'Policy <script>alert(1)</script> update',
    text: 'We are changing our privacy policy.',
    html: `<html><head><title>t</title></head><body><p>Read <a href="https://herald.example.test/policy?v=2&amp;ref=mail">the new policy</a>
      or <a href='javascript:alert(2)'>this</a>.</p><script>document.title='pwned'</script></body></html>`,
    headers: {
      'X-Herald-Message-Id': 'msg_web',
      'X-Herald-Class': 'promotional',
      'X-Herald-Category': 'product-news',
      'List-Unsubscribe': '<https://prefs.example.test/u/tok9>, <mailto:unsubscribe+tok9@mail.example.test>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
  transport.close();
  message = await catcher.waitFor((m) => m.heraldMessageId === 'msg_web');
});

afterAll(async () => {
  await catcher.close();
});

async function get(path: string) {
  const response = await fetch(web + path);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    csp: response.headers.get('content-security-policy') ?? '',
    body: await response.text(),
  };
}

describe('web inbox', () => {
  it('lists the message with escaped subject, addresses and Herald badges', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Local test inbox');
    expect(page.body).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(page.body).toContain('Policy &lt;script&gt;alert(1)&lt;/script&gt; update');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain(`href="/messages/${message.id}"`);
    expect(page.body).toContain('Herald &lt;noreply@mail.example.test&gt;');
    expect(page.body).toContain('ada@example.test');
    expect(page.body).toMatch(/class="badge badge-promo"[^>]*>promotional</);
    expect(page.body).toMatch(/class="badge"[^>]*>product-news</);
    expect(page.body).toContain('<form method="post" action="/clear">');
  });

  it('shows the message: envelope, unsubscribe links, sandboxed HTML, text, headers', async () => {
    const page = await get(`/messages/${message.id}`);
    expect(page.status).toBe(200);
    expect(page.csp).toContain("default-src 'none'");
    expect(page.body).toContain('<h1>Policy &lt;script&gt;alert(1)&lt;/script&gt; update</h1>');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('<dt>MAIL FROM</dt><dd>noreply@mail.example.test</dd>');
    // nodemailer writes the name as X-Herald-Message-ID; the page shows names as sent.
    expect(page.body).toMatch(/<dt>X-Herald-Message-Id<\/dt><dd>msg_web<\/dd>/i);
    expect(page.body).toContain(
      '<a href="https://prefs.example.test/u/tok9" target="_blank" rel="noopener noreferrer">',
    );
    expect(page.body).toContain('<a href="mailto:unsubscribe+tok9@mail.example.test"');
    expect(page.body).toMatch(
      /<form method="post" action="https:\/\/prefs.example.test\/u\/tok9" target="_blank">\s*<input type="hidden" name="List-Unsubscribe" value="One-Click">/,
    );
    expect(page.body).toContain(`<iframe src="/messages/${message.id}/html"`);
    expect(page.body).toContain('sandbox="allow-popups allow-popups-to-escape-sandbox"');
    expect(page.body).toContain(
      '<a href="https://herald.example.test/policy?v=2&amp;ref=mail" target="_blank"',
    );
    expect(page.body).not.toContain('href="javascript:');
    expect(page.body).toContain('<pre>We are changing our privacy policy.');
    expect(page.body).toMatch(
      /<tr class="key"><th scope="row">List-Unsubscribe-Post<\/th><td>List-Unsubscribe=One-Click<\/td><\/tr>/,
    );
    expect(page.body).toMatch(/<tr><th scope="row">Message-ID<\/th><td>&lt;[^<]+&gt;<\/td><\/tr>/);
  });

  it('serves the HTML part with a script-blocking CSP and links opening in a new tab', async () => {
    const part = await get(`/messages/${message.id}/html`);
    expect(part.status).toBe(200);
    expect(part.csp).toMatch(/^sandbox allow-popups/);
    expect(part.csp).toContain("default-src 'none'");
    expect(part.csp).not.toContain('script-src');
    expect(part.body).toMatch(/^<html><head><base target="_blank"><title>/);
  });

  it('serves the raw .eml and a JSON list', async () => {
    const raw = await get(`/messages/${message.id}/raw`);
    expect(raw.type).toBe('text/plain; charset=utf-8');
    expect(raw.body).toBe(message.raw?.toString('utf8'));
    expect(raw.body).toMatch(/^X-Herald-Message-Id: msg_web\r\n/im);

    const api = await get('/api/messages');
    expect(api.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(api.body)).toEqual([
      {
        id: message.id,
        receivedAt: message.receivedAt,
        from: 'noreply@mail.example.test',
        to: ['ada@example.test'],
        subject: message.subject,
        heraldMessageId: 'msg_web',
      },
    ]);
  });

  it('answers unknown ids and paths with a 404 page and wrong methods with 405', async () => {
    for (const path of ['/messages/nope', '/messages/nope/raw', '/messages/nope/html', '/elsewhere']) {
      const page = await get(path);
      expect(page.status, path).toBe(404);
      expect(page.body).toContain('<h1>Not found</h1>');
    }
    expect((await fetch(`${web}/clear`)).status).toBe(405);
    expect((await fetch(`${web}/`, { method: 'DELETE' })).status).toBe(405);
  });

  it('empties the inbox from the form, refusing cross-site posts', async () => {
    const crossSite = await fetch(`${web}/clear`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(catcher.messages()).toHaveLength(1);

    const cleared = await fetch(`${web}/clear`, { method: 'POST', redirect: 'manual' });
    expect(cleared.status).toBe(303);
    expect(cleared.headers.get('location')).toBe('/');
    expect(catcher.messages()).toEqual([]);
    expect((await get('/')).body).toContain('No mail yet');
    expect((await get(`/messages/${message.id}`)).status).toBe(404);
  });
});
