import type { Db } from '@herald/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, consentLog, createContact, tokenFor } from './support/fixtures.js';
import { postForm } from './support/forms.js';
import { startWebServer, type WebServer } from '@herald/test-support';

/**
 * Issue 11, finding 1: every request body is capped while it streams (16 KiB for one-click, 64 KiB
 * for forms), chunked or not, with a 413; and a one-click's token is checked before its body is read.
 */
let web: WebServer;
let db: Db;

beforeAll(async () => {
  db = connect();
  web = await startWebServer();
});
afterAll(async () => {
  await web?.stop();
  await db?.$disconnect();
});

const MiB = 1024 * 1024;

/** A chunked body of `total` bytes made as it is read, counting what the client got to send. */
function chunkedBody(total: number, chunk = 64 * 1024) {
  const sent = { bytes: 0 };
  const piece = new Uint8Array(chunk).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent.bytes >= total) return controller.close();
      const next = piece.subarray(0, Math.min(chunk, total - sent.bytes));
      sent.bytes += next.length;
      controller.enqueue(next);
    },
  });
  return { stream, sent };
}

/** POSTs a streamed body; resolves with the status, or with the error when the server cut it off. */
async function postStream(path: string, body: ReadableStream<Uint8Array>, signal?: AbortSignal) {
  try {
    const response = await fetch(`${web.url}${path}`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      ...(signal ? { signal } : {}),
    } as RequestInit);
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { status: 0, text: String((error as Error).cause ?? error) };
  }
}

async function oneClick(token: string) {
  const response = await fetch(`${web.url}/u/${token}`, {
    method: 'POST',
    body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
  });
  return response.status;
}

describe('request body limits', () => {
  it('refuses a chunked 20 MB body to /u/x within a second, without reading it, and keeps answering', async () => {
    const { stream, sent } = chunkedBody(20 * MiB);
    const started = performance.now();
    const refused = await postStream('/u/x', stream);
    const elapsed = performance.now() - started;

    // The answer is a 413, unless the connection was cut while the client was still sending.
    expect([413, 0], refused.text).toContain(refused.status);
    if (refused.status === 413) expect(refused.text).toContain('Request body too large');
    expect(elapsed).toBeLessThan(1000);
    // The server stopped reading long before the end: the client never got to send it all.
    expect(sent.bytes).toBeLessThan(20 * MiB);

    const contact = await createContact(db);
    expect(await oneClick(tokenFor(web, contact.id))).toBe(200);
    expect(await consentLog(db, contact.id)).toHaveLength(1);
  });

  it('refuses a one-click body over 16 KiB whether it declares its length or not', async () => {
    const contact = await createContact(db);
    const token = tokenFor(web, contact.id);
    const padded = `List-Unsubscribe=One-Click&pad=${'a'.repeat(17 * 1024)}`;

    const declared = await fetch(`${web.url}/u/${token}`, {
      method: 'POST',
      body: padded,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(declared.status).toBe(413);
    const { stream } = chunkedBody(17 * 1024);
    expect((await postStream(`/u/${token}`, stream)).status).toBe(413);

    expect(await consentLog(db, contact.id)).toEqual([]);
    expect(await oneClick(token)).toBe(200);
  });

  it('refuses a 70 KiB form post to /account with 413, declared or chunked, and takes a normal one', async () => {
    const fields: [string, string][] = [
      ['intent', 'request-link'],
      ['email', 'someone@example.test'],
      ['pad', 'a'.repeat(70 * 1024)],
    ];
    const declared = await postForm(`${web.url}/account`, fields);
    expect(declared.status).toBe(413);
    expect(declared.html).toContain('Request body too large');

    const { stream } = chunkedBody(70 * 1024);
    expect((await postStream('/account', stream)).status).toBe(413);

    const normal = await postForm(`${web.url}/account`, [
      ['intent', 'request-link'],
      ['email', 'not an address'],
    ]);
    expect(normal.status).toBe(400);
  });

  it('refuses a 70 KiB post to the console sign-in and to a preference page too', async () => {
    const pad: [string, string][] = [['pad', 'a'.repeat(70 * 1024)]];
    expect((await postForm(`${web.url}/admin/sign-in`, pad)).status).toBe(413);
    expect((await postForm(`${web.url}/preferences/some-token`, pad)).status).toBe(413);
  });

  it('answers a one-click with a bad token before its body has arrived', async () => {
    // A body that starts and never ends: a server that read it before checking the token would
    // wait for it until the client gave up.
    let stop: () => void = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('List-Unsubscribe=One-'));
        stop = () => controller.close();
      },
    });
    const giveUp = AbortSignal.timeout(10_000);
    const answer = await postStream('/u/not-a-token', body, giveUp);
    stop();
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('not valid');
  });
});
