import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRow } from '@herald/contract';
import {
  applyNewAddresses,
  bulkCandidates,
  categoriesToSubscribe,
} from '../src/imports/apply-new-addresses.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * Background imports (issue 14): the request stages the file and answers 202 at once; a worker applies
 * the rows and GET /v1/imports/{id} shows the progress. A column map renames the file's own columns,
 * and a dry run previews the first rows. The crash-and-resume path is in
 * test/import-worker-kill.e2e.test.ts, with real processes.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => h?.close());

const BASIS = 'double opt-in on example.com, 2019';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(body: string, query: string) {
  const response = await fetch(`${h.url}/v1/imports?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.env.HERALD_API_KEY}`, 'content-type': 'text/csv' },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const query = (extra: Record<string, string>) =>
  new URLSearchParams({ categories: 'newsletter', basis: BASIS, ...extra }).toString();

async function waitFinished(id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await h.request('GET', `/v1/imports/${id}`);
    expect(status, JSON.stringify(body)).toBe(200);
    if (body.status === 'finished') return body;
    if (Date.now() > deadline) throw new Error(`import ${id} is still ${body.status}`);
    await sleep(100);
  }
}

describe('POST /v1/imports?background=true', () => {
  it('answers 202 at once, applies the rows in a worker with the column map, and shows the progress', async () => {
    const kept = uniqueEmail('bg-kept');
    const created = await h.request('POST', '/v1/contacts', { email: kept });
    expect(created.status).toBe(201);
    const unsubscribe = await h.request('PUT', `/v1/contacts/${created.body.id}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: false }],
      reason: 'Asked by phone',
    });
    expect(unsubscribe.status).toBe(200);
    const fresh = Array.from({ length: 30 }, (_, i) => uniqueEmail(`bg-${i}`));
    const csv = [
      'E-mail Address,First name,Plan,Notes',
      ...fresh.map((email, i) => `${email},Person ${i},${i % 2 ? 'pro' : 'free'},ignore me`),
      `${kept},Kept,free,`,
      'not-an-address,Bad,free,',
    ].join('\n');
    const map = JSON.stringify({
      'E-mail Address': 'email',
      'First name': 'name',
      Plan: 'attr.plan',
      Notes: '',
    });

    const answer = await post(csv, query({ background: 'true', map }));
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body).toMatchObject({ status: 'queued', totalRows: 31, processedRows: 0, counts: null });
    // Nothing is applied without a worker: the request only staged the file.
    expect(await h.db.contact.findUnique({ where: { email: fresh[0] } })).toBeNull();
    const listed = await h.request('GET', '/v1/imports?limit=5');
    expect(listed.status).toBe(200);
    expect(listed.body.imports.map((item: { id: string }) => item.id)).toContain(answer.body.id);

    await h.startWorker();
    try {
      const finished = await waitFinished(answer.body.id as string);
      expect(finished).toMatchObject({
        status: 'finished',
        totalRows: 31,
        processedRows: 31,
        etaSeconds: null,
        counts: { rows: 32, created: 30, subscribed: 30, keptUnsubscribed: 1, errorCount: 1 },
      });
      expect(finished.startedAt).not.toBeNull();
    } finally {
      await h.stopWorker();
    }
    const person = await h.db.contact.findUnique({
      where: { email: fresh[1] },
      select: {
        name: true,
        attributes: true,
        preferences: { select: { categoryKey: true, subscribed: true } },
      },
    });
    expect(person).toEqual({
      name: 'Person 1',
      attributes: { plan: 'pro' },
      preferences: [{ categoryKey: 'newsletter', subscribed: true }],
    });
    const keptPreference = await h.db.preference.findFirst({
      where: { contact: { email: kept }, categoryKey: 'newsletter' },
    });
    expect(keptPreference?.subscribed).toBe(false);
    // The proof names the import; the staged rows are gone; the bad row is listed by its line.
    const proof = await h.db.consentLogEntry.findFirst({
      where: { contact: { email: fresh[0] }, source: 'import' },
    });
    expect(proof?.reason).toContain(answer.body.id);
    expect(await h.db.importRowStaged.count({ where: { importId: answer.body.id } })).toBe(0);
    const errors = await fetch(`${h.url}/v1/imports/${answer.body.id}/errors`, {
      headers: { authorization: `Bearer ${h.env.HERALD_API_KEY}` },
    });
    expect((await errors.text()).trimEnd().split('\r\n')).toEqual([
      'line,message',
      expect.stringMatching(/^33,email/),
    ]);
    const audit = await h.db.auditLogEntry.findFirst({
      where: { action: 'contacts.imported', targetId: answer.body.id },
    });
    expect(audit?.details).toMatchObject({ background: true, created: 30 });
  });

  it('leaves the planner statistics of what it staged, so a worker reads each batch by the index', async () => {
    const emails = Array.from({ length: 3000 }, (_, i) => uniqueEmail(`stats-${i}`));
    const staged = await post(`email\n${emails.join('\n')}\n`, query({ background: 'true' }));
    expect(staged.status).toBe(202);
    // No worker runs: the 3,000 rows are still staged, and ANALYZE has counted them.
    const [stats] = await h.db.$queryRaw<{ reltuples: number }[]>`
      SELECT reltuples::float8 AS reltuples FROM pg_class WHERE relname = 'import_rows'`;
    expect(stats?.reltuples).toBeGreaterThanOrEqual(3000);
    await h.startWorker();
    try {
      expect((await waitFinished(staged.body.id as string)).counts).toMatchObject({ created: 3000 });
    } finally {
      await h.stopWorker();
    }
  });

  it('applies two batches side by side yet keeps rows for one address in line order', async () => {
    // One address on lines in three batches of 100 (IMPORT_BATCH_ROWS at its lowest): subscribed
    // with a name then unsubscribed in the first (both take the row path, a repeat), subscribed
    // under another name in the second and the third (alone in their batch, new addresses to the
    // bulk path unless it leaves out what the batch beside it holds); the rest are new addresses.
    // The worker must end where a request applying the rows one after the other ends.
    const file = (tag: string) => {
      const repeated = uniqueEmail(`order-${tag}`);
      const lines = Array.from({ length: 260 }, (_, i) => `${uniqueEmail(`order-${tag}-${i}`)},subscribed,`);
      lines[50] = `${repeated},subscribed,First`;
      lines[60] = `${repeated},unsubscribed,`;
      lines[150] = `${repeated},subscribed,Second`;
      lines[230] = `${repeated},subscribed,Third`;
      return { repeated, csv: `email,status,name\n${lines.join('\n')}\n` };
    };
    const background = file('bg');
    const direct = file('direct');
    const staged = await post(background.csv, query({ background: 'true' }));
    expect(staged.status).toBe(202);
    const answer = await post(direct.csv, query({}));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await h.startWorker({ IMPORT_BATCH_ROWS: '100' });
    let counts: Record<string, unknown>;
    try {
      counts = (await waitFinished(staged.body.id as string)).counts;
    } finally {
      await h.stopWorker();
    }
    const { rows, created, updated, subscribed, unsubscribed, keptUnsubscribed, unchanged, errorCount } =
      answer.body;
    expect(counts).toMatchObject({
      rows,
      created,
      updated,
      subscribed,
      unsubscribed,
      keptUnsubscribed,
      unchanged,
      errorCount,
    });
    expect(created).toBe(257);
    const state = async (email: string) => {
      const contact = await h.db.contact.findUniqueOrThrow({
        where: { email },
        include: { preferences: true, consentLog: { orderBy: { occurredAt: 'asc' } } },
      });
      return {
        name: contact.name,
        preferences: contact.preferences.map((p) => [p.categoryKey, p.subscribed]),
        consent: contact.consentLog.map((entry) => [entry.categoryKey, entry.action]),
      };
    };
    const expected = await state(direct.repeated);
    expect(expected.consent).toEqual([
      ['newsletter', 'subscribe'],
      ['newsletter', 'unsubscribe'],
    ]);
    expect(await state(background.repeated)).toEqual(expected);
  });

  it('leaves nothing behind when the upload stops half-way, even with a batch being written', async () => {
    const stagedBefore = await h.db.importRowStaged.count();
    const url = new URL(`${h.url}/v1/imports?${query({ background: 'true' })}`);
    const upload = request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.env.HERALD_API_KEY}`, 'content-type': 'text/csv' },
    });
    upload.on('error', () => undefined);
    upload.write('email\n');
    // Several batches of 5,000 rows, then wait until some are staged: the next one may be in flight.
    let line = 0;
    const rows = (n: number) =>
      Array.from({ length: n }, () => `${uniqueEmail(`half-${line++}`)}\n`).join('');
    upload.write(rows(12_000));
    const deadline = Date.now() + 20_000;
    while ((await h.db.importRowStaged.count()) < stagedBefore + 5000) {
      if (Date.now() > deadline) throw new Error('nothing was staged');
      upload.write(rows(1000));
      await sleep(20);
    }
    expect(await h.db.import.count({ where: { status: 'staging' } })).toBe(1);
    upload.destroy();
    for (;;) {
      const [staging, staged] = await Promise.all([
        h.db.import.count({ where: { status: 'staging' } }),
        h.db.importRowStaged.count(),
      ]);
      if (staging === 0 && staged === stagedBefore) break;
      if (Date.now() > deadline) throw new Error(`${staging} staging, ${staged - stagedBefore} rows left`);
      await sleep(50);
    }
    expect(await h.db.contact.count({ where: { email: { startsWith: 'half-' } } })).toBe(0);
  });

  it('a second run of the same file changes nothing', async () => {
    const emails = [uniqueEmail('again-a'), uniqueEmail('again-b')];
    const csv = `email\n${emails.join('\n')}\n`;
    const first = await post(csv, query({ background: 'true' }));
    const second = await post(csv, query({ background: 'true' }));
    expect([first.status, second.status]).toEqual([202, 202]);
    await h.startWorker();
    try {
      expect((await waitFinished(first.body.id as string)).counts).toMatchObject({
        created: 2,
        subscribed: 2,
      });
      const again = await waitFinished(second.body.id as string);
      expect(again.counts).toMatchObject({ rows: 2, created: 0, subscribed: 0, unchanged: 2 });
    } finally {
      await h.stopWorker();
    }
    const entries = await h.db.consentLogEntry.count({ where: { contact: { email: { in: emails } } } });
    expect(entries).toBe(2);
  });

  it('refuses background with dryRun, a map that is not JSON, and a header the map leaves without email', async () => {
    const imports = await h.db.import.count();
    const both = await post('email\na@example.test\n', query({ background: 'true', dryRun: 'true' }));
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('background');
    const badMap = await post('email\na@example.test\n', query({ map: '{not json' }));
    expect(badMap.status).toBe(400);
    expect(badMap.body.error.message).toContain('map');
    const noEmail = await post('Mail\na@example.test\n', query({ background: 'true', map: '{"Mail":""}' }));
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error.message).toContain('email');
    expect(await h.db.import.count()).toBe(imports);
    const missing = await h.request('GET', '/v1/imports/01890000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    const notAnId = await h.request('GET', '/v1/imports/nope');
    expect(notAnId.status).toBe(400);
  });
});

describe('a dry run', () => {
  it('previews the first rows with what the import would do to each', async () => {
    const email = uniqueEmail('preview');
    const answer = await post(
      `Address,Plan\n${email},pro\nbroken,free\n`,
      query({
        dryRun: 'true',
        map: JSON.stringify({ Address: 'email', Plan: 'attr.plan' }),
      }),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.preview).toEqual([
      { line: 2, email, status: 'subscribed', outcome: 'created, subscribed' },
      { line: 3, email: null, status: null, outcome: expect.stringContaining('email') },
    ]);
    expect(await h.db.contact.findUnique({ where: { email } })).toBeNull();
  });
});

const CHAIN_CATEGORIES = ['newsletter', 'product-news', 'promotions'];

/** Stages new addresses as an import of its own and applies them by the bulk path, as the worker would. */
async function stage(id: string, emails: string[]) {
  const categories = CHAIN_CATEGORIES;
  await h.db.import.create({
    data: { id, actor: 'key:chain', basis: BASIS, categories, status: 'running' },
  });
  const rows = emails.map((email, i) => ({ line: i + 2, row: { email, status: 'subscribed' } }));
  await h.db.importRowStaged.createMany({
    data: rows.map((staged) => ({ importId: id, line: staged.line, row: staged.row })),
  });
  const context = { id, actor: 'key:chain', basis: BASIS, categories, dryRun: false };
  const candidates = bulkCandidates(rows.map(({ line, row }) => ({ line, ...row })));
  return applyNewAddresses(h.db, context, candidates, await categoriesToSubscribe(h.db, categories));
}

describe('the bulk path for new addresses', () => {
  it('takes only new, unsuppressed, single rows, and writes what the row-by-row path writes', async () => {
    const existing = uniqueEmail('bulk-existing');
    expect((await h.request('POST', '/v1/contacts', { email: existing })).status).toBe(201);
    const suppressed = uniqueEmail('bulk-suppressed');
    expect(
      (await h.request('POST', '/v1/suppressions', { email: suppressed, reason: 'manual' })).status,
    ).toBe(201);
    const twice = uniqueEmail('bulk-twice');
    const [bulkNew, rowNew] = [uniqueEmail('bulk-new'), uniqueEmail('row-new')];
    const id = '01890000-0000-7000-8000-0000000000b1';
    await h.db.import.create({
      data: { id, actor: 'key:bulk', basis: BASIS, categories: ['newsletter'], status: 'running' },
    });
    const row = (email: string, status = 'subscribed') => ({
      email,
      status,
      name: 'Ada',
      locale: 'fr',
      attributes: { plan: 'pro' },
      consentedAt: '2021-03-04',
      source: 'old "crm" \\ é',
    });
    const rows = [
      { line: 2, row: row(bulkNew) },
      { line: 3, row: row(existing) },
      { line: 4, row: row(suppressed) },
      { line: 5, row: row(twice) },
      { line: 6, row: row(twice) },
      { line: 7, row: row(uniqueEmail('bulk-unsub'), 'unsubscribed') },
    ] as { line: number; row: ImportRow }[];
    await h.db.importRowStaged.createMany({
      data: rows.map((staged) => ({ importId: id, line: staged.line, row: staged.row as object })),
    });
    const context = {
      id,
      actor: 'key:bulk',
      basis: BASIS,
      categories: ['newsletter'],
      dryRun: false,
    };
    const applied = await applyNewAddresses(
      h.db,
      context,
      bulkCandidates(rows.map(({ line, row }) => ({ line, email: row.email, status: row.status }))),
      await categoriesToSubscribe(h.db, ['newsletter']),
    );
    expect([...applied]).toEqual([2]);
    // Its staged row is gone with the transaction that applied it, and counted on the import.
    expect(
      await h.db.importRowStaged.findMany({ where: { importId: id }, select: { line: true, done: true } }),
    ).toEqual([3, 4, 5, 6, 7].map((line) => ({ line, done: false })));
    expect(
      await h.db.import.findUniqueOrThrow({
        where: { id },
        select: { createdInBulk: true, subscribedInBulk: true },
      }),
    ).toEqual({ createdInBulk: 1, subscribedInBulk: 1 });

    // The same row through a request's own import, row by row.
    const answer = await post(
      `email,status,name,locale,attr.plan,consentedAt,source\n${rowNew},subscribed,Ada,fr,pro,2021-03-04,"old ""crm"" \\ é"\n`,
      query({}),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const written = async (email: string) => {
      const contact = await h.db.contact.findUniqueOrThrow({
        where: { email },
        include: { preferences: true, consentLog: true },
      });
      return {
        contact: {
          name: contact.name,
          locale: contact.locale,
          timezone: contact.timezone,
          attributes: contact.attributes,
          externalId: contact.externalId,
          promotionalDefaults: contact.promotionalDefaults,
          promotionalOptOut: contact.promotionalOptOut,
        },
        preferences: contact.preferences.map((p) => ({
          categoryKey: p.categoryKey,
          subscribed: p.subscribed,
        })),
        consent: contact.consentLog.map((entry) => ({
          categoryKey: entry.categoryKey,
          action: entry.action,
          source: entry.source,
          reason: JSON.parse(entry.reason ?? '{}') as Record<string, unknown>,
        })),
        reasonText: contact.consentLog.map((entry) => entry.reason),
      };
    };
    const bulk = await written(bulkNew);
    const byRow = await written(rowNew);
    expect(bulk).toEqual({
      ...byRow,
      consent: byRow.consent.map((entry) => ({ ...entry, reason: { ...entry.reason, import: id } })),
      // The same text, made in SQL by one and by JSON.stringify by the other.
      reasonText: byRow.consent.map((entry) => JSON.stringify({ ...entry.reason, import: id })),
    });
    expect(bulk.consent).toHaveLength(1);
  });

  it("links its consent rows into each contact's chain as the trigger would, and emits their events only when wanted", async () => {
    // No worker, so the outbox is read as the triggers left it (a worker's fan-out would take it).
    await h.stopWorker();
    const keys = await categoriesToSubscribe(h.db, CHAIN_CATEGORIES);
    expect(keys).toEqual(CHAIN_CATEGORIES);
    const emails = [uniqueEmail('chain-a'), uniqueEmail('chain-b')];
    expect([...(await stage('01890000-0000-7000-8000-0000000000c1', emails))]).toEqual([2, 3]);
    const created = await h.db.contact.findMany({ where: { email: { in: emails } } });
    expect(created).toHaveLength(2);
    // No endpoint wants consent events: none written.
    expect(await h.db.webhookOutbox.count({ where: { contactId: { in: created.map((c) => c.id) } } })).toBe(
      0,
    );

    const chain = (email: string) => h.db.$queryRaw<
      { category_key: string; evidence_seq: bigint; prev_hash: Buffer; row_hash: Buffer; expected: Buffer }[]
    >`
      SELECT l.category_key, l.evidence_seq, l.prev_hash, l.row_hash, evidence_row_hash(l) AS expected
        FROM consent_log l JOIN contacts c ON c.id = l.contact_id
       WHERE c.email = ${email} ORDER BY l.evidence_seq`;
    for (const email of emails) {
      const rows = await chain(email);
      // One row per category, in the categories' order, each linked to the one before.
      expect(rows.map((row) => row.category_key)).toEqual(keys);
      let previous = Buffer.alloc(32);
      for (const row of rows) {
        expect(Buffer.from(row.prev_hash).equals(previous)).toBe(true);
        expect(Buffer.from(row.row_hash).equals(Buffer.from(row.expected))).toBe(true);
        previous = Buffer.from(row.row_hash);
      }
    }
    // The trigger links the contact's next change to the last row the import wrote.
    const contact = await h.db.contact.findUniqueOrThrow({ where: { email: emails[0]! } });
    const change = await h.request('PUT', `/v1/contacts/${contact.id}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: false }],
      reason: 'Asked by phone',
    });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    const linked = await chain(emails[0]!);
    expect(linked).toHaveLength(4);
    expect(Buffer.from(linked[3]!.prev_hash).equals(Buffer.from(linked[2]!.row_hash))).toBe(true);
    // And Node's verifier, which trusts none of the database's hashing, finds every chain whole.
    const period = new URLSearchParams({
      from: new Date(0).toISOString(),
      to: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const { status, body: report } = await h.request('GET', `/v1/evidence/verify?${period}`);
    expect(status, JSON.stringify(report)).toBe(200);
    expect(report.firstProblem).toBeNull();
    expect(report.ok).toBe(true);
    expect(report.rows).toBeGreaterThanOrEqual(7);

    // An endpoint that wants consent events gets each row's, as the trigger writes them one by one.
    const endpoint = await h.db.webhookEndpoint.create({
      data: { url: 'http://127.0.0.1:9/hook', events: ['contact.subscribed'], secret: 'whsec_test' },
    });
    try {
      const third = uniqueEmail('chain-c');
      expect([...(await stage('01890000-0000-7000-8000-0000000000c2', [third]))]).toEqual([2]);
      const { id: contactId } = await h.db.contact.findUniqueOrThrow({ where: { email: third } });
      const events = await h.db.webhookOutbox.findMany({ where: { contactId }, orderBy: { id: 'asc' } });
      expect(
        events.map((event) => [event.eventType, (event.payload as { category: string }).category]),
      ).toEqual(keys.map((key) => ['contact.subscribed', key]));
    } finally {
      await h.db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { disabledAt: new Date() } });
    }
  });

  it('asks whether consent events are wanted as the webhook trigger does, for each event it emits', async () => {
    // One SQL function answers for the trigger and for the import (consent_events_wanted).
    await h.stopWorker();
    const keys = CHAIN_CATEGORIES;
    const wanted = async () =>
      (await h.db.$queryRaw<{ wanted: boolean }[]>`SELECT consent_events_wanted() AS wanted`)[0]?.wanted;
    // The import's earlier tests leave only disabled endpoints behind.
    expect(await wanted()).toBe(false);
    const consentEvents = [
      'contact.subscribed',
      'contact.unsubscribed',
      'preferences.changed',
      'contact.erased',
      'contact.suppressed',
    ];
    for (const events of [...consentEvents.map((event) => [event]), ['message.sent', 'campaign.finished']]) {
      const endpoint = await h.db.webhookEndpoint.create({
        data: { url: 'http://127.0.0.1:9/hook', events, secret: 'whsec_test' },
      });
      try {
        expect(await wanted(), events.join()).toBe(consentEvents.includes(events[0] as string));
        // And the import writes the events of an endpoint that wants only one of them.
        if (events[0] === 'preferences.changed') {
          const email = uniqueEmail('wanted');
          expect([...(await stage('01890000-0000-7000-8000-0000000000c3', [email]))]).toEqual([2]);
          const { id: contactId } = await h.db.contact.findUniqueOrThrow({ where: { email } });
          const written = await h.db.webhookOutbox.findMany({ where: { contactId } });
          expect(written.map((event) => event.eventType)).toEqual(keys.map(() => 'preferences.changed'));
        }
      } finally {
        await h.db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { disabledAt: new Date() } });
      }
    }
    expect(await wanted()).toBe(false);
  });
});
