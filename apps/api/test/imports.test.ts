import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { csvRecords, decodeBody, ImportTooLargeError } from '../src/imports/read-records.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * Lists in (issue 14): contacts and the unsubscribes an old system collected, streamed in as CSV or
 * NDJSON. Herald's own knowledge of an address (unsubscribed, suppressed, erased) always wins.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => h?.close());

const BASIS = 'double opt-in on example.com, 2019';

async function importFile(
  body: string,
  { type = 'text/csv', query = `categories=newsletter&basis=${encodeURIComponent(BASIS)}` } = {},
) {
  const response = await fetch(`${h.url}/v1/imports?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.env.HERALD_API_KEY}`, 'content-type': type },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function contact(email: string): Promise<string> {
  const created = await h.request('POST', '/v1/contacts', { email });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

const newsletter = async (email: string) => {
  const found = await h.db.contact.findUnique({
    where: { email },
    select: { preferences: { where: { categoryKey: 'newsletter' } } },
  });
  return found?.preferences[0]?.subscribed;
};

describe('POST /v1/imports', () => {
  it('imports a CSV with quoted fields, subscribing with the proof in the consent log', async () => {
    const ada = uniqueEmail('ada');
    const grace = uniqueEmail('grace');
    const csv =
      'email,name,locale,timezone,consentedAt,source,attr.plan\r\n' +
      `${ada},"Lovelace, Ada",en-GB,Europe/London,2019-03-01T10:00:00Z,"signup form ""footer""",pro\r\n` +
      `${grace},Grace Hopper,,,2019-04-02,,\r\n`;
    const answer = await importFile(csv);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      dryRun: false,
      rows: 2,
      created: 2,
      updated: 0,
      subscribed: 2,
      keptUnsubscribed: 0,
      errorCount: 0,
      errors: [],
    });
    const saved = await h.db.contact.findUniqueOrThrow({ where: { email: ada } });
    expect(saved).toMatchObject({
      name: 'Lovelace, Ada',
      locale: 'en-GB',
      timezone: 'Europe/London',
      attributes: { plan: 'pro' },
    });
    expect(await newsletter(ada)).toBe(true);
    expect(await newsletter(grace)).toBe(true);

    const log = await h.db.consentLogEntry.findMany({ where: { contactId: saved.id } });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ categoryKey: 'newsletter', action: 'subscribe', source: 'import' });
    expect(JSON.parse(log[0]?.reason ?? '{}')).toEqual({
      import: answer.body.id,
      basis: BASIS,
      consentedAt: '2019-03-01T10:00:00Z',
      source: 'signup form "footer"',
    });

    const record = await h.db.import.findUniqueOrThrow({ where: { id: answer.body.id } });
    expect(record).toMatchObject({ basis: BASIS, categories: ['newsletter'], actor: 'bootstrap-key' });
    expect(record.finishedAt).not.toBeNull();
    expect(record.counts).toMatchObject({ rows: 2, subscribed: 2 });
    const audit = await h.db.auditLogEntry.findFirst({
      where: { action: 'contacts.imported', targetId: answer.body.id },
    });
    expect(audit?.details).toMatchObject({ rows: 2, subscribed: 2, created: 2 });
  });

  it('imports NDJSON, keeping fields a row leaves empty on an existing contact', async () => {
    const known = uniqueEmail('known');
    const fresh = uniqueEmail('fresh');
    const id = await contact(known);
    await h.db.contact.update({ where: { id }, data: { name: 'Known Name', timezone: 'Europe/Paris' } });
    const ndjson =
      `${JSON.stringify({ email: known, externalId: `ext-${id}` })}\n` +
      `${JSON.stringify({ email: fresh, name: 'Fresh', 'attr.tier': 'gold', status: 'subscribed' })}\n`;
    const answer = await importFile(ndjson, { type: 'application/x-ndjson' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ rows: 2, created: 1, updated: 1, errorCount: 0 });
    expect(await h.db.contact.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: 'Known Name',
      timezone: 'Europe/Paris',
      externalId: `ext-${id}`,
    });
    expect(await h.db.contact.findUniqueOrThrow({ where: { email: fresh } })).toMatchObject({
      name: 'Fresh',
      attributes: { tier: 'gold' },
    });
    expect(await newsletter(fresh)).toBe(true);
  });

  it('never resubscribes an unsubscribed, opted-out, suppressed or erased address', async () => {
    const unsubscribed = uniqueEmail('unsub');
    const optedOut = uniqueEmail('optout');
    const suppressed = uniqueEmail('suppressed');
    const erased = uniqueEmail('erased');
    const unsubscribedId = await contact(unsubscribed);
    expect(
      (
        await h.request('PUT', `/v1/contacts/${unsubscribedId}/preferences`, {
          changes: [{ category: 'newsletter', subscribed: false }],
          reason: 'Asked by phone',
        })
      ).status,
    ).toBe(200);
    const optedOutId = await contact(optedOut);
    expect(
      (
        await h.request('PUT', `/v1/contacts/${optedOutId}/preferences`, {
          allPromotional: false,
          reason: 'Asked by phone',
        })
      ).status,
    ).toBe(200);
    expect(
      (await h.request('POST', '/v1/suppressions', { email: suppressed, reason: 'manual' })).status,
    ).toBe(201);
    const erasedId = await contact(erased);
    expect((await h.request('DELETE', `/v1/contacts/${erasedId}`)).status).toBe(200);
    const before = await h.db.consentLogEntry.count();

    const answer = await importFile(`email\n${unsubscribed}\n${optedOut}\n${suppressed}\n${erased}\n`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ rows: 4, keptUnsubscribed: 4, subscribed: 0, errorCount: 0 });
    expect(await newsletter(unsubscribed)).toBe(false);
    expect(await newsletter(suppressed)).toBeUndefined();
    expect(await h.db.contact.findUnique({ where: { email: erased } })).toBeNull();
    expect(await h.db.consentLogEntry.count()).toBe(before);
  });

  it('applies unsubscribed and suppressed rows', async () => {
    const leaving = uniqueEmail('leaving');
    const everything = uniqueEmail('everything');
    const blocked = uniqueEmail('blocked');
    await contact(leaving);
    await contact(everything);
    const csv = `email,status\n${leaving},unsubscribed\n${blocked},suppressed\n`;
    const answer = await importFile(csv);
    expect(answer.body).toMatchObject({ rows: 2, unsubscribed: 1, suppressed: 1, errorCount: 0 });
    expect(await newsletter(leaving)).toBe(false);
    const blockedContact = await h.db.contact.findUniqueOrThrow({ where: { email: blocked } });
    expect(await h.db.suppression.findMany({ where: { contactId: blockedContact.id } })).toMatchObject([
      { reason: 'manual' },
    ]);

    // No category chosen: the all-promotional opt-out.
    const all = await importFile(`email,status\n${everything},unsubscribed\n`, {
      query: `basis=${encodeURIComponent(BASIS)}`,
    });
    expect(all.body).toMatchObject({ unsubscribed: 1 });
    const optedOut = await h.db.contact.findUniqueOrThrow({ where: { email: everything } });
    expect(optedOut.promotionalOptOut).toBe(true);
    expect(await h.db.consentLogEntry.findFirst({ where: { contactId: optedOut.id } })).toMatchObject({
      categoryKey: null,
      action: 'unsubscribe',
      source: 'import',
    });
  });

  it('reports bad rows by line, lands the good ones, lists them as CSV, and a re-run changes nothing', async () => {
    const good = uniqueEmail('good');
    const later = uniqueEmail('later');
    const csv =
      'email,status,locale,timezone,name\r\n' +
      'not-an-address,,,,\r\n' +
      `${good},,,,"Multi\r\nline"\r\n` +
      `${uniqueEmail('status')},maybe,,,\r\n` +
      `${uniqueEmail('locale')},,not a locale!,,\r\n` +
      `${uniqueEmail('zone')},,,Mars/Olympus,\r\n` +
      `${later},subscribed,fr,Europe/Paris,\r\n`;
    const first = await importFile(csv);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ rows: 6, created: 2, subscribed: 2, errorCount: 4 });
    expect(first.body.errors.map((error: { line: number }) => error.line)).toEqual([2, 5, 6, 7]);
    expect(first.body.errors[0].message).toMatch(/^email:/);
    expect(first.body.errors[1].message).toMatch(/^status:/);
    expect(first.body.errors[2].message).toMatch(/^locale:/);
    expect(first.body.errors[3].message).toMatch(/^timezone:/);
    expect(await h.db.contact.findUniqueOrThrow({ where: { email: good } })).toMatchObject({
      name: 'Multi\r\nline',
    });
    expect(await newsletter(later)).toBe(true);

    const listed = await fetch(`${h.url}/v1/imports/${first.body.id}/errors`, {
      headers: { authorization: `Bearer ${h.env.HERALD_API_KEY}` },
    });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await listed.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('line,message');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['2', '5', '6', '7']);

    const consentRows = await h.db.consentLogEntry.count();
    const contacts = await h.db.contact.count();
    const again = await importFile(csv);
    expect(again.body).toMatchObject({
      rows: 6,
      created: 0,
      updated: 0,
      subscribed: 0,
      unsubscribed: 0,
      suppressed: 0,
      unchanged: 2,
      errorCount: 4,
    });
    expect(await h.db.consentLogEntry.count()).toBe(consentRows);
    expect(await h.db.contact.count()).toBe(contacts);

    const ndjson = await importFile(`{"email":"${uniqueEmail('ok')}"}\n{not json\n\n[1]\n`, {
      type: 'application/x-ndjson',
    });
    expect(ndjson.body).toMatchObject({ rows: 3, created: 1, errorCount: 2 });
    expect(ndjson.body.errors).toEqual([
      { line: 2, message: 'is not valid JSON' },
      { line: 4, message: 'is not a JSON object' },
    ]);
  });

  it('a dry run counts the same and writes nothing', async () => {
    const dry = uniqueEmail('dry');
    const blocked = uniqueEmail('dryblocked');
    const csv = `email,status\n${dry},subscribed\n${blocked},suppressed\nbad,\n`;
    const counts = {
      imports: await h.db.import.count(),
      consent: await h.db.consentLogEntry.count(),
      suppressions: await h.db.suppression.count(),
      audit: await h.db.auditLogEntry.count(),
    };
    const answer = await importFile(csv, {
      query: `categories=newsletter&dryRun=true&basis=${encodeURIComponent(BASIS)}`,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      dryRun: true,
      rows: 3,
      created: 2,
      subscribed: 1,
      suppressed: 1,
      errorCount: 1,
    });
    expect(await h.db.contact.findUnique({ where: { email: dry } })).toBeNull();
    expect(await h.db.contact.findUnique({ where: { email: blocked } })).toBeNull();
    expect({
      imports: await h.db.import.count(),
      consent: await h.db.consentLogEntry.count(),
      suppressions: await h.db.suppression.count(),
      audit: await h.db.auditLogEntry.count(),
    }).toEqual(counts);
  });

  it('refuses an unknown category, a missing basis or another content type, writing nothing', async () => {
    const email = uniqueEmail('refused');
    const imports = await h.db.import.count();
    const unknown = await importFile(`email\n${email}\n`, {
      query: `categories=newsletter,no-such-thing&basis=${encodeURIComponent(BASIS)}`,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('no-such-thing');
    const noBasis = await importFile(`email\n${email}\n`, { query: 'categories=newsletter' });
    expect(noBasis.status).toBe(400);
    expect(noBasis.body.error.message).toContain('basis');
    const json = await importFile(JSON.stringify({ email }), { type: 'application/json' });
    expect(json.status).toBe(400);
    expect(await h.db.contact.findUnique({ where: { email } })).toBeNull();
    expect(await h.db.import.count()).toBe(imports);
  });
});

describe('reading an import body', () => {
  it('parses RFC 4180 records split anywhere between chunks', async () => {
    const text = 'email,name\r\na@example.test,"Doe, ""J""\r\nline two"\r\n\r\nb@example.test,Bee\n';
    const chunks = async function* () {
      for (const char of text) yield char;
    };
    const records = [];
    for await (const record of csvRecords(chunks())) records.push(record);
    expect(records).toEqual([
      { line: 1, fields: ['email', 'name'] },
      { line: 2, fields: ['a@example.test', 'Doe, "J"\r\nline two'] },
      { line: 5, fields: ['b@example.test', 'Bee'] },
    ]);
  });

  it('stops past the limit as the body streams', async () => {
    const body = Readable.from([Buffer.alloc(600, 'a'), Buffer.alloc(600, 'b')]);
    const read = async () => {
      for await (const chunk of decodeBody(body, 1000)) expect(chunk.length).toBeGreaterThan(0);
    };
    await expect(read()).rejects.toBeInstanceOf(ImportTooLargeError);
  });

  it('answers 413 to a declared length past 512 MiB before reading it', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const call = httpRequest(
        `${h.url}/v1/imports?basis=${encodeURIComponent(BASIS)}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${h.env.HERALD_API_KEY}`,
            'content-type': 'text/csv',
            'content-length': String(600 * 1024 * 1024),
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      call.on('error', reject);
      call.write('email\n');
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe('payload_too_large');
  });
});
