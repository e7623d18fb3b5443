import { createHash } from 'node:crypto';
import { Prisma } from '@herald/db';
import { applyUnsubscribe, hashClientIp } from '@herald/preferences';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

/**
 * Issue 11, finding 7, through the API and the worker: a contact whose address bounced (the SMTP
 * reply quotes it), who unsubscribed from a browser (user agent and client hash in the consent log),
 * and whose address was on the list from before keyed hashes, is erased with DELETE /v1/contacts/:id.
 * Afterwards no column of any table holds the address, its legacy hash, the user agent or the client
 * hash, the address is still never mailed, and the consent log is still append-only.
 */
const USER_AGENT = 'Mozilla/5.0 (Erasure e2e) Gecko/20100101 Firefox/131.0';
const NOTICE = { title: 'Your export is ready', body: 'Download it within 7 days.' };
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ worker: true });
});
afterAll(async () => h?.close());

async function send(template: string, to: object, data: object): Promise<string> {
  const response = await h.request('POST', '/v1/messages', { template, to, data });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.id as string;
}

/** Every table and text-like column holding `needle` (any case), as "table.column". */
async function columnsHolding(needle: string): Promise<string[]> {
  const columns = await h.db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
     ORDER BY table_name, column_name`;
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [row] = await h.db.$queryRaw<{ n: number }[]>(Prisma.sql`
      SELECT count(*)::int AS n FROM ${Prisma.raw(`"${table}"`)}
       WHERE ${Prisma.raw(`"${column}"`)}::text ILIKE ${`%${needle}%`}`);
    if ((row?.n ?? 0) > 0) found.push(`${table}.${column}`);
  }
  return found;
}

describe('DELETE /v1/contacts/:id erases', () => {
  it('every trace of the address and the browser, and the address stays suppressed', async () => {
    const email = uniqueEmail('erased');
    const legacyHash = createHash('sha256').update(email).digest('hex');
    const ipHash = hashClientIp('198.51.100.23', 'erasure-test-salt-0123456789abcdef');

    // The contact, a complaint from before keyed hashes, and an unsubscribe from a browser.
    const created = await h.request('POST', '/v1/contacts', { email, name: 'Ada Lovelace' });
    const contactId = created.body.id as string;
    await h.db.suppression.create({ data: { addressHash: legacyHash, reason: 'complaint', contactId } });
    await applyUnsubscribe(h.db, {
      contactId,
      scope: { kind: 'category', categoryKey: 'newsletter' },
      source: 'one-click',
      userAgent: USER_AGENT,
      ipHash,
    });
    // A notice the receiving server refuses, quoting the address.
    h.catcher.answer(email, 550, `5.1.1 <${email}>: Recipient address rejected: User unknown`);
    const bounced = await send('service-notice', { contactId }, NOTICE);
    expect(await waitForStatus(h, bounced)).toMatchObject({ status: 'bounced' });
    // A report about it, quoting the address too.
    const report = await h.request('POST', '/v1/feedback', {
      type: 'bounce',
      messageId: bounced,
      email,
      status: '5.1.1',
      detail: `<${email}> unknown`,
    });
    expect(report.status, JSON.stringify(report.body)).toBeLessThan(300);
    for (const needle of [email, legacyHash, USER_AGENT, ipHash]) {
      expect(await columnsHolding(needle), needle).not.toEqual([]);
    }

    const erased = await h.request('DELETE', `/v1/contacts/${contactId}`);
    expect(erased.body).toEqual({ id: contactId, erased: true });

    for (const needle of [email, legacyHash, USER_AGENT, ipHash]) {
      expect(await columnsHolding(needle), needle).toEqual([]);
    }
    // What stays about the address links to no contact.
    expect(await h.db.suppression.count({ where: { contactId } })).toBe(0);
    const log = await h.request('GET', `/v1/contacts/${contactId}/consent-log`);
    expect(log.body.entries.at(-1)).toMatchObject({
      action: 'suppress',
      reason: 'erasure; user agent and client address hash cleared from 1 earlier entries',
    });

    // The address comes back as a new contact: it is still suppressed (the re-keyed bounce blocks all mail).
    const again = await send('service-notice', { email }, NOTICE);
    expect(await waitForStatus(h, again)).toMatchObject({ status: 'suppressed', reason: 'hard-bounce' });
    expect(h.catcher.received.get(again)).toBeUndefined();

    // The consent log is append-only again outside the erasure.
    await expect(
      h.db
        .$executeRaw`UPDATE consent_log SET user_agent = NULL, ip_hash = NULL WHERE contact_id = ${contactId}::uuid`,
    ).rejects.toThrow(/append-only/);
    await expect(
      h.db.$executeRaw`DELETE FROM consent_log WHERE contact_id = ${contactId}::uuid`,
    ).rejects.toThrow(/append-only/);
  });

  it('keeps an erased address from promotional mail when it comes back', async () => {
    const email = uniqueEmail('returning');
    const first = await h.request('POST', '/v1/contacts', { email });
    await h.request('DELETE', `/v1/contacts/${first.body.id}`);
    // Back as a new contact, imported as if with consent: the erasure suppression still holds.
    const second = await h.request('POST', '/v1/contacts', { email });
    expect(second.body.id).not.toBe(first.body.id);
    const newsletter = await send(
      'newsletter',
      { contactId: second.body.id },
      {
        headline: 'Spring news',
        intro: 'What changed.',
        articles: [{ title: 'Faster', summary: 'Faster sends.', url: 'https://example.test/a' }],
      },
    );
    expect(await waitForStatus(h, newsletter)).toMatchObject({
      status: 'suppressed',
      reason: 'erased-address',
    });
    expect(h.catcher.received.get(newsletter)).toBeUndefined();
  });
});
