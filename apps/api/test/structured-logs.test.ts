import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiClient,
  startHerald,
  startTestSmtpServer,
  type Herald,
  type TestSmtpServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { HeraldLogger } from '../src/logging/herald-logger.js';
import { redact } from '../src/logging/redact.js';

/**
 * LOG_FORMAT=json: the built API and worker write one JSON object a line, one line per request
 * (route template, status, the caller's name) and per delivery outcome (message id, outcome), a
 * short start-up, and never an address, a sign-in link or an API key. Default format: no line per route.
 */
type Line = Record<string, unknown>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const parseLines = (output: string): Line[] =>
  output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Line;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });

async function waitForLine(herald: Herald, what: string, match: (line: Line) => boolean): Promise<Line> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = parseLines(herald.output()).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no log line for ${what}:\n${herald.output()}`);
    await sleep(50);
  }
}

describe('LOG_FORMAT=json in the built API and worker', () => {
  let smtp: TestSmtpServer;
  let herald: Herald;
  const bounced = `gone-${randomBytes(4).toString('hex')}@example.test`;
  beforeAll(async () => {
    smtp = await startTestSmtpServer({
      // The refusal quotes the address, as real servers do: the delivery line's reason must not.
      answers: { [bounced]: { code: 550, message: `5.1.1 <${bounced}>: Recipient address rejected` } },
    });
    herald = await startHerald({ env: { SMTP_URL: smtp.smtpUrl, LOG_FORMAT: 'json' } });
    await waitForLine(herald, 'the worker start', (line) =>
      String(line.msg).includes('herald worker started'),
    );
  }, 60_000);
  afterAll(async () => {
    await herald?.stop();
    await herald?.flushQueuePrefix();
    await smtp?.close();
  });

  it('writes a request line and a delivery line per message, every line JSON, without the address, link or key', async () => {
    const email = `reader-${randomBytes(5).toString('hex')}@example.test`;
    const signInUrl = `https://app.example.test/account/sign-in/${randomBytes(16).toString('hex')}`;
    const created = await herald.client.call('POST', '/v1/api-keys', {
      name: 'sign-in-sender',
      scopes: ['messages:send'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const namedKey = created.body.key as string;
    const sender = createApiClient(herald.apiUrl, namedKey);
    const sent = await sender.call('POST', '/v1/messages', {
      template: 'security-sign-in',
      to: { email },
      data: { signInUrl, expiresInMinutes: 15 },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    const id = sent.body.id as string;
    await smtp.waitFor((m) => m.heraldMessageId === id, { timeoutMs: 15_000 });
    // An address in the URL itself: the line names the route, not the path as sent.
    const removed = await herald.client.call('DELETE', `/v1/suppressions/${encodeURIComponent(email)}`);
    expect(removed.status).toBeGreaterThanOrEqual(200);
    const bounce = await herald.client.call('POST', '/v1/messages', {
      template: 'security-sign-in',
      to: { email: bounced },
      data: { signInUrl, expiresInMinutes: 15 },
    });
    expect(bounce.status).toBe(202);

    const request = await waitForLine(
      herald,
      'POST /v1/messages',
      (line) => line.context === 'HTTP' && line.route === '/v1/messages' && line.method === 'POST',
    );
    expect(request).toMatchObject({ level: 'info', status: 202, caller: 'sign-in-sender' });
    expect(typeof request.ms).toBe('number');
    expect(typeof request.time).toBe('string');
    const deletion = await waitForLine(herald, 'DELETE', (line) => line.method === 'DELETE');
    expect(deletion).toMatchObject({ route: '/v1/suppressions/:address', caller: 'bootstrap' });

    const delivery = await waitForLine(herald, 'the delivery', (line) => line.messageId === id);
    expect(delivery).toMatchObject({
      level: 'info',
      context: 'Delivery',
      outcome: 'sent',
      class: 'transactional',
      category: 'security',
      attempt: 1,
    });
    expect(delivery.ms).toBeGreaterThanOrEqual(0);
    const refused = await waitForLine(herald, 'the bounce', (line) => line.messageId === bounce.body.id);
    expect(refused).toMatchObject({ outcome: 'bounced' });
    expect(String(refused.reason)).toContain('[email]');

    const output = herald.output();
    // Every line of both processes is one JSON object with a level and a time.
    for (const line of parseLines(output)) {
      expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String) });
    }
    for (const secret of [email, bounced, signInUrl, namedKey, herald.apiKey, herald.webApiKey]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toContain('@example.test');
    // A short start-up: no line per route or module, one line saying where the API listens.
    expect(output).not.toContain('Mapped {');
    expect(output).not.toMatch(/InstanceLoader|RouterExplorer|RoutesResolver/);
    const listening = parseLines(output).filter((line) =>
      String(line.msg).startsWith('herald api listening'),
    );
    expect(listening).toHaveLength(1);
  });
});

describe('the default format', () => {
  let herald: Herald;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    herald = await startHerald({ env: { SMTP_URL: smtp.smtpUrl } });
  }, 60_000);
  afterAll(async () => {
    await herald?.stop();
    await herald?.flushQueuePrefix();
    await smtp?.close();
  });

  it('reads as before, without a line per route or module', async () => {
    const deadline = Date.now() + 15_000;
    while (!herald.output().includes('herald worker started')) {
      if (Date.now() > deadline) throw new Error(`worker not started:\n${herald.output()}`);
      await sleep(50);
    }
    const output = herald.output();
    expect(output).toContain('herald api listening on');
    expect(output).not.toContain('Mapped {');
    expect(output).not.toMatch(/InstanceLoader|RouterExplorer|RoutesResolver/);
    expect(() => JSON.parse(output.split('\n')[0] ?? '')).toThrow();
  });
});

describe('HeraldLogger', () => {
  const capture = (level: 'debug' | 'info' = 'info') => {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (chunk) => (written += chunk));
    const logger = new HeraldLogger({
      format: 'json',
      level,
      processName: 'test',
      secrets: ['k-0123456789abcdef'],
      destination: stream,
    });
    return { logger, lines: () => parseLines(written) };
  };

  it('redacts addresses, credentials, link tokens and known keys from messages and fields', () => {
    const { logger, lines } = capture();
    logger.warn('to pat@example.test: Bearer k-0123456789abcdef refused', 'Test');
    logger.event('Delivery', 'message failed', {
      reason: '550 5.1.1 <Pat.Example+news@Mail.Example.test>: no such user',
      link: 'https://web.example.test/account/sign-in/abcDEF123?x=1 and /u/tok.en-1',
    });
    const [warned, event] = lines();
    expect(warned).toMatchObject({
      level: 'warn',
      context: 'Test',
      msg: 'to [email]: Bearer [secret] refused',
    });
    expect(event).toMatchObject({
      reason: '550 5.1.1 <[email]>: no such user',
      link: 'https://web.example.test/account/sign-in/[token]?x=1 and /u/[token]',
    });
  });

  it("drops Nest's line per module and route, keeps an error's stack", () => {
    const { logger, lines } = capture();
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/v1/messages, POST} route', 'RouterExplorer');
    logger.error('it broke', 'Error: it broke\n    at here', 'Worker');
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 'error', msg: 'it broke', context: 'Worker' });
    expect(String(lines()[0]?.stack)).toContain('at here');
  });

  it('leaves a long text without "@" or links as it is, and an address-like text without a dot alone', () => {
    const long = 'a'.repeat(100_000);
    expect(redact(long)).toBe(long);
    expect(redact('user@localhost said hi.')).toBe('user@localhost said hi.');
    expect(redact('mail a@b.example.')).toBe('mail [email].');
  });
});
