import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { parseSigningKeys, signBounceToken, signMailtoToken } from '@herald/preferences';
import { parseEnv, WorkerEnvSchema } from '@herald/config';
import { createPrismaClient } from '@herald/db';
import { buildDeliveryStatusReport, freePort } from '@herald/test-support';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInboundSmtpServer } from '../src/inbound/inbound-smtp-server.js';
import { InboundSmtpService } from '../src/inbound/inbound-smtp.service.js';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';
import { openSmtpConversation } from './support/smtp-conversation.js';

/**
 * Issue 11, finding 11: the inbound listener talks to anyone who reaches it, unauthenticated. It
 * binds loopback unless told otherwise, offers STARTTLS with the operator's certificate, holds at
 * most INBOUND_SMTP_MAX_CLIENTS clients, and never tells a client what failed inside.
 */
const MAIL_DOMAIN = 'mail.example.test';
const MAX_CLIENTS = 3;
const GENERIC_451 = '451 4.3.0 Temporary failure, try again later';

let h: Harness;
let certificateDir: string;
let certificate: Buffer;
let inboundPort: number;
let inbound: InboundSmtpService;
beforeAll(async () => {
  // A self-signed certificate for the mail domain, made for this run only.
  certificateDir = mkdtempSync(join(tmpdir(), 'herald-inbound-tls-'));
  const [certPath, keyPath] = [join(certificateDir, 'cert.pem'), join(certificateDir, 'key.pem')];
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '1',
    '-subj', `/CN=${MAIL_DOMAIN}`, '-addext', `subjectAltName=DNS:${MAIL_DOMAIN}`,
  ], { stdio: 'ignore' }); // prettier-ignore
  certificate = readFileSync(certPath);
  h = await startHarness();
  // INBOUND_SMTP_HOST is left unset: the default is what is tested.
  const worker = await h.startWorker({
    INBOUND_SMTP_PORT: '0',
    INBOUND_SMTP_MAX_CLIENTS: String(MAX_CLIENTS),
    INBOUND_SMTP_TLS_CERT: certPath,
    INBOUND_SMTP_TLS_KEY: keyPath,
  });
  inbound = worker.get(InboundSmtpService);
  inboundPort = inbound.port as number;
});
afterAll(async () => {
  await h?.close();
  if (certificateDir) rmSync(certificateDir, { recursive: true, force: true });
});

/** A listener this test starts itself, on the test's database unless it says otherwise. */
const startListener = (options: Partial<Parameters<typeof startInboundSmtpServer>[0]> = {}) =>
  startInboundSmtpServer({
    db: h.db,
    keys: parseSigningKeys(h.env.HERALD_SECRET ?? ''),
    mailDomain: MAIL_DOMAIN,
    feedbackLoopAddress: `fbl@${MAIL_DOMAIN}`,
    feedbackEnv: parseEnv(WorkerEnvSchema, h.env),
    port: 0,
    ...options,
  });

describe('bind address', () => {
  it('binds loopback by default, so no other interface of the machine reaches it', async () => {
    expect(parseEnv(WorkerEnvSchema, h.env).INBOUND_SMTP_HOST).toBe('127.0.0.1');
    expect(inbound.host).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)
      .map((entry) => entry?.address as string);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(inboundPort, address);
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      expect(outcome, address).toBe('ECONNREFUSED');
    }
    const local = openSmtpConversation(inboundPort);
    expect(await local.greeting).toMatch(/^220 mail\.example\.test ESMTP/);
    local.end();
  });
});

describe('STARTTLS', () => {
  it('is offered with the configured certificate, and a client that upgrades delivers a mailto unsubscribe', async () => {
    const plain = openSmtpConversation(inboundPort);
    await plain.greeting;
    expect(await plain.say('EHLO client.example.test')).toMatch(/^250-STARTTLS$/m);
    plain.end();

    const email = uniqueEmail('starttls');
    // An optional transactional notice carries List-Unsubscribe, whatever the contact's marketing consent.
    const sent = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: { title: 'Your export is ready', body: 'Download it within 7 days.' },
    });
    expect(sent.status).toBe(202);
    const caught = await h.catcher.waitFor((m) => m.heraldMessageId === sent.body.id);
    const mailto = /<mailto:([^>]+)>/.exec(caught.header('list-unsubscribe') ?? '')?.[1] as string;
    const { contactId } = await waitForStatus(h, sent.body.id);

    // requireTLS: the client refuses to send unless the upgrade happens; ca: only this certificate is trusted.
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: inboundPort,
      secure: false,
      requireTLS: true,
      tls: { ca: certificate, servername: MAIL_DOMAIN },
    });
    try {
      const info = await transport.sendMail({
        from: 'someone@provider.test',
        to: mailto,
        subject: 'unsubscribe',
        text: 'unsubscribe',
      });
      expect(info.accepted).toEqual([mailto]);
    } finally {
      transport.close();
    }

    const prefs = await h.request('GET', `/v1/contacts/${contactId}/preferences`);
    expect(prefs.body.categories.find((c: { key: string }) => c.key === 'service-notices').subscribed).toBe(
      false,
    );
  });

  it('is not offered without a certificate, and the command is refused', async () => {
    const server = await startListener();
    try {
      const client = openSmtpConversation(server.port);
      await client.greeting;
      expect(await client.say('EHLO client.example.test')).not.toMatch(/STARTTLS/);
      expect(await client.say('STARTTLS')).toMatch(/^5\d\d /);
      client.end();
    } finally {
      await server.close();
    }
  });

  it('refuses to start with a certificate but no key, naming the missing setting', () => {
    expect(() =>
      parseEnv(WorkerEnvSchema, {
        ...h.env,
        INBOUND_SMTP_PORT: '0',
        INBOUND_SMTP_TLS_CERT: '/etc/ssl/cert.pem',
      }),
    ).toThrow(/INBOUND_SMTP_TLS_KEY.*is required with INBOUND_SMTP_TLS_CERT/);
  });
});

describe('connection limits', () => {
  it(`answers client number ${MAX_CLIENTS + 1} with 421 and serves again once one leaves`, async () => {
    const clients = Array.from({ length: MAX_CLIENTS }, () => openSmtpConversation(inboundPort));
    for (const client of clients) expect(await client.greeting).toMatch(/^220 /);
    const extra = openSmtpConversation(inboundPort);
    expect(await extra.greeting).toMatch(/^421 .*Too many connected clients/);
    await extra.closed;

    clients[0]?.end();
    await clients[0]?.closed;
    const later = openSmtpConversation(inboundPort);
    expect(await later.greeting).toMatch(/^220 /);
    for (const client of [...clients, later]) client.end();
  });

  it('answers a client that stays silent past the idle limit with 421 and disconnects it', async () => {
    const server = await startListener({ idleTimeoutMs: 1000 });
    try {
      const idle = openSmtpConversation(server.port);
      expect(await idle.greeting).toMatch(/^220 /);
      expect(await idle.say('EHLO client.example.test')).toMatch(/^250/);
      expect(await idle.reply()).toMatch(/^421 .*Timeout/);
      await idle.closed;
    } finally {
      await server.close();
    }
  });
});

describe('what a client is told when Herald fails', () => {
  it('answers a generic 451 at RCPT TO and after DATA, never the database host, and logs the cause', async () => {
    const unreachablePort = await freePort();
    const unreachable = createPrismaClient({
      databaseUrl: `postgresql://postgres@localhost:${unreachablePort}/herald`,
      maxConnections: 1,
      connectTimeoutMs: 1000,
    });
    const logged: string[] = [];
    const keys = parseSigningKeys(h.env.HERALD_SECRET ?? '');
    const server = await startListener({ db: unreachable, log: (line) => logged.push(line) });
    try {
      const client = openSmtpConversation(server.port);
      await client.greeting;
      await client.say(`EHLO client.example.test`);
      expect(await client.say('MAIL FROM:<someone@provider.test>')).toMatch(/^250 /);
      // A mailto unsubscribe is looked up in the database at RCPT TO.
      const unsubscribe = `unsubscribe+${signMailtoToken({ messageId: randomUUID() }, keys)}@${MAIL_DOMAIN}`;
      const atRcpt = await client.say(`RCPT TO:<${unsubscribe}>`);
      expect(atRcpt).toBe(GENERIC_451);

      // A bounce token is only verified at RCPT TO; the report is kept, in the database, after DATA.
      const bounce = `bounce+${signBounceToken({ messageId: randomUUID() }, keys)}@${MAIL_DOMAIN}`;
      expect(await client.say(`RCPT TO:<${bounce}>`)).toMatch(/^250 /);
      expect(await client.say('DATA')).toMatch(/^354 /);
      const dsn = buildDeliveryStatusReport({
        to: bounce,
        recipients: [{ finalRecipient: 'x@example.test', action: 'failed', status: '5.1.1' }],
      });
      const afterData = await client.say(
        `${dsn.toString().replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')}\r\n.`,
      );
      expect(afterData).toBe(GENERIC_451);
      client.end();

      for (const reply of [atRcpt, afterData]) {
        expect(reply).not.toContain(String(unreachablePort));
      }
      // The cause, with the database's address, is in the worker's log for its operator.
      for (const stage of ['RCPT TO', 'DATA']) {
        const line = logged.find((entry) => entry.startsWith(`inbound SMTP: ${stage} failed, answered 451:`));
        expect(line, stage).toContain(`:${unreachablePort}`);
      }
    } finally {
      await server.close();
      await unreachable.$disconnect();
    }
  });
});
