import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../src/index.js';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** One message over a fresh connection, as the worker's transport sends it; resolves with nodemailer's outcome. */
async function send(to: string, options: { timeoutMs?: number; messageId?: string } = {}) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: server?.smtpPort,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: options.timeoutMs ?? 10_000,
    greetingTimeout: options.timeoutMs ?? 10_000,
    socketTimeout: options.timeoutMs ?? 10_000,
  });
  try {
    const info = await transport.sendMail({
      from: 'noreply@mail.example.test',
      to,
      subject: 'Controlled',
      text: 'Hello',
      headers: { 'X-Herald-Message-Id': options.messageId ?? 'm-1' },
    });
    return { ok: true as const, accepted: info.accepted, rejected: info.rejected };
  } catch (error) {
    const failure = error as { code?: string; responseCode?: number; response?: string };
    return {
      ok: false as const,
      code: failure.code,
      responseCode: failure.responseCode,
      response: failure.response,
    };
  } finally {
    transport.close();
  }
}

describe('a controllable SMTP server', () => {
  it('keeps what it receives and counts deliveries per X-Herald-Message-Id', async () => {
    server = await startTestSmtpServer();
    expect(await send('ada@example.test', { messageId: 'm-a' })).toMatchObject({
      ok: true,
      accepted: ['ada@example.test'],
    });
    expect(await send('ada@example.test', { messageId: 'm-a' })).toMatchObject({ ok: true });
    expect(server.count()).toBe(2);
    expect(server.received.get('m-a')).toBe(2);
    expect(server.messages()[0]?.envelope).toEqual({
      from: 'noreply@mail.example.test',
      to: ['ada@example.test'],
    });
  });

  it('answers chosen recipients with chosen codes, and the rest with 250', async () => {
    server = await startTestSmtpServer({
      answers: { 'x@example.test': { code: 550, message: '5.1.1 No such user' } },
    });
    server.answer('Y@example.test', 554, '5.7.1 Rejected by policy');
    server.answer('z@example.test', 451, '4.3.0 Try again later');

    expect(await send('x@example.test')).toMatchObject({ ok: false, responseCode: 550 });
    const policy = await send('y@example.test');
    expect(policy).toMatchObject({ ok: false, responseCode: 554 });
    expect(policy.ok ? '' : policy.response).toContain('5.7.1 Rejected by policy');
    expect(await send('z@example.test')).toMatchObject({ ok: false, responseCode: 451 });
    expect(await send('w@example.test')).toMatchObject({ ok: true });
    expect(server.messages().map((m) => m.envelope.to)).toEqual([['w@example.test']]);
  });

  it('refuses recipients by prefix with 550 5.1.1', async () => {
    server = await startTestSmtpServer({ unknownPrefixes: ['bounce-'] });
    const refused = await send('bounce-1@example.test');
    expect(refused).toMatchObject({ ok: false, responseCode: 550 });
    expect(refused.ok ? '' : refused.response).toContain('5.1.1');
  });

  it('refuses connections while down and comes back on the same port', async () => {
    server = await startTestSmtpServer();
    const port = server.smtpPort;
    await server.refuseConnections();
    expect(await send('ada@example.test', { timeoutMs: 2_000 })).toMatchObject({
      ok: false,
      code: 'ESOCKET',
    });
    expect(server.count()).toBe(0);

    await server.acceptConnections();
    expect(server.smtpPort).toBe(port);
    expect(await send('ada@example.test')).toMatchObject({ ok: true });
    expect(server.count()).toBe(1);
  });

  it('drops open connections when it goes down', async () => {
    server = await startTestSmtpServer();
    server.delay('data', 2_000);
    const sending = send('ada@example.test');
    await server.waitForCount(1);
    await server.refuseConnections();
    // The message was in before the server went away, but its final reply never came.
    expect(await sending).toMatchObject({ ok: false });
    expect(server.count()).toBe(1);
  });

  it.each(['greeting', 'mail', 'rcpt', 'data'] as const)(
    'holds its %s reply back for the delay asked',
    async (stage) => {
      server = await startTestSmtpServer();
      server.delay(stage, 600);
      const started = Date.now();
      expect(await send('ada@example.test')).toMatchObject({ ok: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(600);

      server.delay(stage, 0);
      const again = Date.now();
      expect(await send('ada@example.test')).toMatchObject({ ok: true });
      expect(Date.now() - again).toBeLessThan(600);
    },
  );

  it('holds the RCPT TO reply of chosen recipients only, whose mail arrives after the others', async () => {
    server = await startTestSmtpServer({
      rcptDelayMs: (address) => (address.startsWith('slow-') ? 1_500 : 0),
    });
    const arrived: string[] = [];
    server.onMessage((message) => arrived.push(...message.envelope.to));
    const slow = send('slow-ada@example.test', { messageId: 'm-slow' });
    await expect(send('grace@example.test', { messageId: 'm-fast' })).resolves.toMatchObject({ ok: true });
    // The other recipient's mail went through on its own connection while the slow one's transaction was open.
    expect(arrived).toEqual(['grace@example.test']);
    expect(await slow).toMatchObject({ ok: true, accepted: ['slow-ada@example.test'] });
    expect(arrived).toEqual(['grace@example.test', 'slow-ada@example.test']);
  });

  it('a reply slower than the client waits for makes the client give up', async () => {
    server = await startTestSmtpServer();
    server.delay('greeting', 3_000);
    expect(await send('ada@example.test', { timeoutMs: 500 })).toMatchObject({ ok: false });
    expect(server.count()).toBe(0);
  });
});
