import { afterEach, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../src/index.js';
import { transportTo } from './send.js';

const LIST_UNSUBSCRIBE =
  '<https://prefs.example.test/u/tok123>, <mailto:unsubscribe+abcdefghijklmnop@mail.example.test>';

let catcher: MailCatcher | undefined;
afterEach(async () => {
  await catcher?.close();
  catcher = undefined;
});

describe('receiving mail', () => {
  it('keeps a multipart message with custom headers and finds it by X-Herald-Message-Id', async () => {
    catcher = await startMailCatcher({ smtpPort: 0 });
    const transport = transportTo(catcher);
    const waiting = catcher.waitFor((message) => message.heraldMessageId === 'msg_1');
    await transport.sendMail({
      from: 'Herald <noreply@mail.example.test>',
      to: 'ada@example.test',
      subject:
        'Café ☕ — your weekly newsletter with a subject long enough to be split into several encoded words',
      text: 'Plain text body',
      html: '<p>Hello <a href="https://example.test/a?x=1&amp;y=2">read</a></p>',
      headers: {
        'X-Herald-Message-Id': 'msg_1',
        'X-Herald-Class': 'promotional',
        'X-Herald-Category': 'newsletter',
        'List-Unsubscribe': LIST_UNSUBSCRIBE,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    transport.close();
    const message = await waiting;

    expect(message.envelope).toEqual({ from: 'noreply@mail.example.test', to: ['ada@example.test'] });
    expect(message.subject).toBe(
      'Café ☕ — your weekly newsletter with a subject long enough to be split into several encoded words',
    );
    expect(message.header('x-herald-class')).toBe('promotional');
    expect(message.header('X-HERALD-CATEGORY')).toBe('newsletter');
    expect(message.header('List-Unsubscribe')).toBe(LIST_UNSUBSCRIBE);
    expect(message.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(message.header('x-not-there')).toBeUndefined();
    expect(message.raw?.toString('utf8')).toContain('Plain text body');
    expect(Math.abs(Date.now() - message.receivedAt)).toBeLessThan(5_000);
    expect(catcher.count()).toBe(1);
    expect(catcher.messages().map((m) => m.id)).toEqual([message.id]);

    const parsed = await message.parse();
    expect(await message.parse()).toBe(parsed);
    expect(parsed.text?.trim()).toBe('Plain text body');
    expect(parsed.html).toContain('href="https://example.test/a?x=1&amp;y=2"');
    expect(parsed.headers.get('x-herald-message-id')).toBe('msg_1');
    expect(parsed.headers.get('list')).toMatchObject({
      unsubscribe: {
        url: 'https://prefs.example.test/u/tok123',
        mail: 'unsubscribe+abcdefghijklmnop@mail.example.test',
      },
    });
  });

  it('unfolds long headers and resolves waitFor for a message that already arrived', async () => {
    catcher = await startMailCatcher({ smtpPort: 0 });
    const transport = transportTo(catcher);
    const longValue = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    await transport.sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'plain',
      text: 'x',
      headers: { 'X-Long': longValue },
    });
    transport.close();
    expect(catcher.messages()[0]?.raw?.toString('utf8')).toMatch(/X-Long: [^\r\n]+\r\n[ \t]/);
    const message = await catcher.waitFor((m) => m.subject === 'plain', { timeoutMs: 100 });
    expect(message.header('x-long')).toBe(longValue);
    await expect(
      catcher.waitFor(() => {
        throw new Error('bad predicate');
      }),
    ).rejects.toThrow('bad predicate');
  });

  it('decodes encoded-word subjects split in the middle of a character, and the null sender', async () => {
    catcher = await startMailCatcher({ smtpPort: 0 });
    const transport = transportTo(catcher);
    const raw = [
      'From: a@example.test',
      'Subject: =?UTF-8?B?Q2Fmw6k=?= =?UTF-8?B?IOKY?=\r\n =?UTF-8?B?lQ==?= and =?ISO-8859-1?Q?caf=E9_cr=E8me?=',
      '',
      'body',
    ].join('\r\n');
    await transport.sendMail({ envelope: { from: '', to: ['b@example.test'] }, raw });
    transport.close();
    const message = await catcher.waitFor(() => true);
    expect(message.subject).toBe('Café ☕ and café crème');
    expect(message.envelope.from).toBe('');
  });

  it('rejects waitFor and waitForCount when nothing arrives in time', async () => {
    catcher = await startMailCatcher({ smtpPort: 0 });
    await expect(catcher.waitFor(() => true, { timeoutMs: 50 })).rejects.toThrow(
      /no matching message within 50 ms/,
    );
    await expect(catcher.waitForCount(1, { timeoutMs: 50 })).rejects.toThrow(/fewer than 1 messages/);
  });

  it('fails to start, closing what it opened, when a port is taken', async () => {
    catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    await expect(startMailCatcher({ smtpPort: catcher.smtpPort })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    await expect(startMailCatcher({ smtpPort: 0, httpPort: catcher.httpPort })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });

  it('answers chosen recipients with 550 or 451 and keeps the others', async () => {
    catcher = await startMailCatcher({
      smtpPort: 0,
      rcptHandler: (address) =>
        address.startsWith('bounce@')
          ? { code: 550, message: 'No such user' }
          : address.startsWith('later@')
            ? { code: 451, message: 'Try again later' }
            : null,
    });
    const transport = transportTo(catcher);
    const send = (to: string | string[]) =>
      transport.sendMail({ from: 'a@example.test', to, subject: 's', text: 't' });

    await expect(send('bounce@example.test')).rejects.toMatchObject({ responseCode: 550 });
    await expect(send('later@example.test')).rejects.toMatchObject({ responseCode: 451 });
    const mixed = await send(['bounce@example.test', 'ok@example.test']);
    transport.close();

    expect(mixed.rejected).toEqual(['bounce@example.test']);
    expect(catcher.count()).toBe(1);
    expect(catcher.messages()[0]?.envelope.to).toEqual(['ok@example.test']);
  });

  it("stores no body with keep: 'count' but still finds messages by id", async () => {
    catcher = await startMailCatcher({ smtpPort: 0, keep: 'count' });
    const transport = transportTo(catcher);
    await transport.sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'counted',
      html: '<p>body</p>',
      headers: { 'X-Herald-Message-Id': 'msg_c' },
    });
    transport.close();
    const message = await catcher.waitFor((m) => m.heraldMessageId === 'msg_c');
    expect(message.subject).toBe('counted');
    expect(message.raw).toBeUndefined();
    expect(message.headers()).toEqual([]);
    expect(message.header('subject')).toBeUndefined();
    await expect(message.parse()).rejects.toThrow(/not kept/);
  });

  it("keeps only the header block with keep: 'headers'", async () => {
    catcher = await startMailCatcher({ smtpPort: 0, keep: 'headers' });
    const transport = transportTo(catcher);
    await transport.sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'headers only',
      text: 'secret body',
      headers: { 'X-Herald-Class': 'transactional' },
    });
    transport.close();
    const message = await catcher.waitFor(() => true);
    expect(message.raw).toBeUndefined();
    expect(message.header('x-herald-class')).toBe('transactional');
    const parsed = await message.parse();
    expect(parsed.subject).toBe('headers only');
    expect(parsed.text ?? '').not.toContain('secret body');
  });

  it('drops the oldest messages beyond maxMessages while count() keeps counting', async () => {
    catcher = await startMailCatcher({ smtpPort: 0, maxMessages: 3 });
    const transport = transportTo(catcher, { pool: true, maxConnections: 1 });
    for (let i = 1; i <= 5; i++)
      await transport.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: `n${i}`, text: 't' });
    transport.close();
    await catcher.waitForCount(5);
    expect(catcher.messages().map((m) => m.subject)).toEqual(['n3', 'n4', 'n5']);
    expect(catcher.count()).toBe(5);

    const seen: string[] = [];
    const unsubscribe = catcher.onMessage((m) => seen.push(m.subject ?? ''));
    catcher.clear();
    expect(catcher.count()).toBe(0);
    expect(catcher.messages()).toEqual([]);
    const again = transportTo(catcher);
    await again.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'after clear', text: 't' });
    unsubscribe();
    await again.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'unheard', text: 't' });
    again.close();
    expect(seen).toEqual(['after clear']);
    expect(catcher.count()).toBe(2);
  });

  it('refuses messages over the size limit with 552', async () => {
    catcher = await startMailCatcher({ smtpPort: 0, maxMessageBytes: 10_000 });
    const transport = transportTo(catcher);
    await expect(
      transport.sendMail({
        from: 'a@example.test',
        to: 'b@example.test',
        subject: 'big',
        text: 'x'.repeat(20_000),
      }),
    ).rejects.toMatchObject({
      responseCode: 552,
    });
    transport.close();
    expect(catcher.count()).toBe(0);
  });
});
