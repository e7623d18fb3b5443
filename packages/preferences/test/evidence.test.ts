import { generateKeyPairSync, verify } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { Db } from '@herald/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnsubscribe } from '../src/apply-unsubscribe.js';
import { eraseContact } from '../src/erase-contact.js';
import { ZERO_HASH, personalHash, rowHash } from '../src/evidence/encoding.js';
import { writeAnchor } from '../src/evidence/anchor.js';
import { merkleRoot } from '../src/evidence/merkle.js';
import { anchorStatement } from '../src/evidence/statement.js';
import { verifyEvidence } from '../src/evidence/verify.js';
import {
  connect,
  createCategory,
  createContact,
  databaseUrl,
  type CategoryFixture,
} from './support/database.js';

/**
 * Decision 023: every consent-log row is chained by the database trigger, the chain is what Node
 * computes independently, a row changed or removed behind the append-only trigger's back is found,
 * erasure keeps the chains verifiable, writers of one contact never fork its chain, anchors are
 * signed and cover every committed row, late ones included.
 */
const db = connect();
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = { privateKey, keyId: 'test-key' };
const publicKeys = new Map([['test-key', publicKey]]);
const EPOCH = new Date('2000-01-01T00:00:00Z');
let newsletter: CategoryFixture;

beforeAll(async () => {
  newsletter = await createCategory(db, { class: 'promotional' });
});
afterAll(() => db.$disconnect());

/**
 * Verifies everything twice: on this thread in batches of 4,096, and on two threads in batches of 4
 * (so anchors span batches and their trees are joined from subtrees). Both must say the same.
 */
async function verifyAll() {
  const period = { databaseUrl, from: EPOCH, to: new Date(Date.now() + 3_600_000), publicKeys };
  const inline = await verifyEvidence(db, { ...period, threads: 0 });
  const progress: number[] = [];
  const threaded = await verifyEvidence(db, {
    ...period,
    threads: 2,
    batchRows: 4,
    onProgress: (rows) => progress.push(rows),
  });
  expect({ ...threaded, seconds: 0 }).toEqual({ ...inline, seconds: 0 });
  // Told after every batch of 4 (or fewer, where an anchor ends), up to every row.
  expect(progress.at(-1)).toBe(inline.rows);
  expect(progress.length).toBeGreaterThanOrEqual(Math.ceil(inline.rows / 4));
  expect(progress.every((rows, index) => index === 0 || rows > progress[index - 1]!)).toBe(true);
  return inline;
}

interface RawRow {
  id: bigint;
  evidence_seq: bigint;
  contact_id: string;
  category_key: string | null;
  action: string;
  source: string;
  occurred_us: bigint;
  message_id: string | null;
  campaign_id: string | null;
  actor: string | null;
  reason: string | null;
  user_agent: string | null;
  ip_hash: string | null;
  prev_hash: Uint8Array;
  personal_hash: Uint8Array;
  row_hash: Uint8Array;
}

function chainOf(contactId: string): Promise<RawRow[]> {
  return db.$queryRaw<RawRow[]>`
    SELECT id, evidence_seq, contact_id::text, category_key, action::text, source::text,
           (extract(epoch FROM occurred_at) * 1000000)::int8 AS occurred_us,
           message_id::text, campaign_id::text, actor, reason, user_agent, ip_hash,
           prev_hash, personal_hash, row_hash
      FROM consent_log WHERE contact_id = ${contactId}::uuid ORDER BY evidence_seq`;
}

/** Inserts a consent row the way any writer does: plain SQL, no evidence columns. */
function insertRow(client: Pick<Db, '$queryRaw'>, contactId: string, extra: { reason?: string } = {}) {
  return client.$queryRaw<{ id: bigint }[]>`
    INSERT INTO consent_log (contact_id, category_key, action, source, actor, reason, user_agent, ip_hash)
    VALUES (${contactId}::uuid, ${newsletter.key}, 'unsubscribe', 'api', 'test', ${extra.reason ?? null},
            'EvidenceTest/1.0', ${'a'.repeat(64)})
    RETURNING id`;
}

/** Runs `statement` with every trigger off, as a database superuser could. */
function behindTriggers(statement: (tx: Pick<Db, '$executeRaw' | '$executeRawUnsafe'>) => Promise<unknown>) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
    await statement(tx);
  });
}

describe('the consent log chain', () => {
  it("the trigger's row_hash, prev_hash and personal_hash are what Node computes from the row", async () => {
    const contact = await createContact(db);
    await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: newsletter.key },
      source: 'one-click',
      userAgent: 'Mozilla/5.0 Évidence ✓',
      ipHash: 'f'.repeat(64),
    });
    const campaign = randomUUID();
    await db.$executeRaw`
      INSERT INTO consent_log (contact_id, action, source, occurred_at, campaign_id, actor, reason,
                               row_hash, prev_hash, evidence_seq)
      VALUES (${contact.id}::uuid, 'subscribe', 'import', '2026-03-04 05:06:07.891', ${campaign}::uuid,
              'importer', 'basis: «form»', '\\x00'::bytea, '\\x00'::bytea, 1)`;
    const rows = await chainOf(contact.id);
    expect(rows).toHaveLength(2);
    let previous: Buffer = ZERO_HASH;
    for (const row of rows) {
      const personal = personalHash(row.user_agent, row.ip_hash);
      expect(Buffer.from(row.personal_hash).toString('hex')).toBe(personal.toString('hex'));
      expect(Buffer.from(row.prev_hash).toString('hex')).toBe(previous.toString('hex'));
      const expected = rowHash(previous, {
        evidenceSeq: row.evidence_seq,
        id: row.id,
        contactId: row.contact_id,
        categoryKey: row.category_key,
        action: row.action,
        source: row.source,
        occurredAtMicros: row.occurred_us,
        messageId: row.message_id,
        campaignId: row.campaign_id,
        actor: row.actor,
        reason: row.reason,
        personalHash: personal,
      });
      expect(Buffer.from(row.row_hash).toString('hex')).toBe(expected.toString('hex'));
      previous = expected;
    }
    // What a writer put in the evidence columns was overwritten.
    expect(rows[1]!.evidence_seq).not.toBe(1n);
    expect(rows[1]!.occurred_us).toBe(BigInt(Date.parse('2026-03-04T05:06:07.891Z')) * 1000n);
    expect((await verifyAll()).ok).toBe(true);
  });

  it('skips the trigger only for a row with its own row_hash in a transaction that says it linked its rows', async () => {
    const contact = await createContact(db);
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('herald.linked_in_statement', 'on', true)`;
      // Without a row_hash the trigger links the row, whatever the transaction says.
      await insertRow(tx, contact.id);
      // With one, the row is kept as written (the bulk import's path, decision 025): here a wrong link.
      await tx.$executeRaw`
        INSERT INTO consent_log (contact_id, category_key, action, source, actor, evidence_seq, prev_hash,
                                 personal_hash, row_hash)
        VALUES (${contact.id}::uuid, ${newsletter.key}, 'subscribe', 'import', 'test',
                nextval('consent_log_evidence_seq'), '\\x01'::bytea, '\\x02'::bytea, '\\x03'::bytea)`;
    });
    const rows = await chainOf(contact.id);
    expect(rows).toHaveLength(2);
    expect(Buffer.from(rows[0]!.prev_hash).equals(ZERO_HASH)).toBe(true);
    expect(rows[0]!.row_hash).toHaveLength(32);
    expect(Buffer.from(rows[1]!.row_hash).toString('hex')).toBe('03');
    // The setting ends with its transaction: the next insert on any connection is linked again.
    await insertRow(db, contact.id);
    const [, , third] = await chainOf(contact.id);
    expect(Buffer.from(third!.prev_hash).toString('hex')).toBe('03');
    expect(third!.row_hash).toHaveLength(32);
    // And the verifier finds the row that was not linked as the trigger would have linked it.
    const report = await verifyAll();
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({ contactId: contact.id });
    // Removed again (behind the triggers, as only a superuser can), so the other tests verify.
    await behindTriggers(
      (tx) => tx.$executeRaw`DELETE FROM consent_log WHERE contact_id = ${contact.id}::uuid`,
    );
  });

  it('a row changed behind the append-only trigger fails verification at exactly that row', async () => {
    const contact = await createContact(db);
    const ids: bigint[] = [];
    for (let index = 0; index < 3; index++) ids.push((await insertRow(db, contact.id))[0]!.id);
    await writeAnchor(db, signer);
    expect((await verifyAll()).ok).toBe(true);

    const target = ids[1]!;
    const before = (await chainOf(contact.id)).find((row) => row.id === target);
    await behindTriggers(
      (tx) => tx.$executeRaw`UPDATE consent_log SET action = 'subscribe' WHERE id = ${target}`,
    );
    const report = await verifyAll();
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({
      kind: 'row-altered',
      rowId: target.toString(),
      contactId: contact.id,
    });
    // Rows after it still link to its stored row_hash, which its anchor covers: only that row is wrong.
    expect(report.problems.map((problem) => problem.kind)).toEqual(['row-altered']);

    // Rewriting its row_hash to match makes the next row's link and the anchor's root fail instead.
    await behindTriggers(
      (tx) => tx.$executeRaw`UPDATE consent_log SET row_hash = sha256(row_hash) WHERE id = ${target}`,
    );
    const rewritten = await verifyAll();
    expect(rewritten.problems.map((problem) => [problem.kind, problem.rowId])).toEqual([
      ['row-altered', target.toString()],
      ['chain-gap', ids[2]!.toString()],
      ['anchor-root', undefined],
    ]);
    await behindTriggers(
      (tx) =>
        tx.$executeRaw`UPDATE consent_log SET row_hash = ${Buffer.from(before!.row_hash)} WHERE id = ${target}`,
    );

    await behindTriggers(
      (tx) => tx.$executeRaw`UPDATE consent_log SET action = 'unsubscribe' WHERE id = ${target}`,
    );
    expect((await verifyAll()).ok).toBe(true);
  });

  it('a deleted row is reported as a gap at the next row of its contact, and in its anchor', async () => {
    const contact = await createContact(db);
    const ids: bigint[] = [];
    for (let index = 0; index < 3; index++) ids.push((await insertRow(db, contact.id))[0]!.id);
    const anchor = await writeAnchor(db, signer);
    // Kept aside, to put back afterwards (the file's tests share the database).
    const saved = `evidence_saved_${contact.id.replace(/-/g, '')}`;
    await db.$executeRawUnsafe(`CREATE TABLE ${saved} AS SELECT * FROM consent_log WHERE id = ${ids[1]!}`);

    await behindTriggers((tx) => tx.$executeRaw`DELETE FROM consent_log WHERE id = ${ids[1]!}`);
    const report = await verifyAll();
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({
      kind: 'chain-gap',
      rowId: ids[2]!.toString(),
      contactId: contact.id,
    });
    expect(report.gaps.map((gap) => gap.kind)).toEqual(['chain-gap', 'anchor-rows-missing']);
    expect(report.gaps[1]!.anchorId).toBe(anchor!.id.toString());

    await behindTriggers((tx) => tx.$executeRawUnsafe(`INSERT INTO consent_log SELECT * FROM ${saved}`));
    await db.$executeRawUnsafe(`DROP TABLE ${saved}`);
    expect((await verifyAll()).ok).toBe(true);
  });
});

describe('a period after earlier anchors', () => {
  it("links a contact's first row in the period to its last row before it, and reports that row removed", async () => {
    const contact = await createContact(db);
    const early = [(await insertRow(db, contact.id))[0]!.id, (await insertRow(db, contact.id))[0]!.id];
    const first = await writeAnchor(db, signer);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const from = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const late: bigint[] = [];
    for (let index = 0; index < 5; index++) late.push((await insertRow(db, contact.id))[0]!.id);
    await writeAnchor(db, signer);
    const period = { databaseUrl, from, to: new Date(Date.now() + 3_600_000), publicKeys };
    const verifyPeriod = async () => {
      const inline = await verifyEvidence(db, { ...period, threads: 0 });
      const threaded = await verifyEvidence(db, { ...period, threads: 2, batchRows: 2 });
      expect({ ...threaded, seconds: 0 }).toEqual({ ...inline, seconds: 0 });
      return inline;
    };

    const ok = await verifyPeriod();
    expect(ok).toMatchObject({ ok: true, fromSeq: first!.toSeq.toString(), rows: 5, anchors: 1 });

    const saved = `evidence_saved_${contact.id.replace(/-/g, '')}`;
    await db.$executeRawUnsafe(`CREATE TABLE ${saved} AS SELECT * FROM consent_log WHERE id = ${early[1]!}`);
    await behindTriggers((tx) => tx.$executeRaw`DELETE FROM consent_log WHERE id = ${early[1]!}`);
    const broken = await verifyPeriod();
    expect(broken.problems.map((problem) => [problem.kind, problem.rowId])).toEqual([
      ['chain-gap', late[0]!.toString()],
    ]);

    await behindTriggers((tx) => tx.$executeRawUnsafe(`INSERT INTO consent_log SELECT * FROM ${saved}`));
    await db.$executeRawUnsafe(`DROP TABLE ${saved}`);
    expect((await verifyPeriod()).ok).toBe(true);
  });
});

describe('erasure and the chain', () => {
  it('erasing a contact clears its personal fields and keeps every chain verifiable, and the scrub can change nothing else', async () => {
    const contact = await createContact(db);
    await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: newsletter.key },
      source: 'one-click',
      userAgent: 'Mozilla/5.0 ErasureEvidence/1.0',
      ipHash: 'e'.repeat(64),
    });
    const before = await chainOf(contact.id);
    await eraseContact(db, { contactId: contact.id, actor: 'evidence-test' });
    const after = await chainOf(contact.id);
    expect(after[0]).toMatchObject({ user_agent: null, ip_hash: null });
    expect(Buffer.from(after[0]!.personal_hash)).toEqual(Buffer.from(before[0]!.personal_hash));
    expect(Buffer.from(after[0]!.row_hash)).toEqual(Buffer.from(before[0]!.row_hash));
    const report = await verifyAll();
    expect(report.problems).toEqual([]);

    // The erasure exception of the append-only trigger lets the personal fields go, nothing else.
    for (const change of [
      'personal_hash = NULL',
      "row_hash = '\\x00'::bytea",
      'evidence_seq = evidence_seq + 1000000',
    ]) {
      await expect(
        db.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT set_config('herald.erasure', ${contact.id}, true)`;
          await tx.$executeRawUnsafe(
            `UPDATE consent_log SET user_agent = NULL, ip_hash = NULL, ${change} WHERE contact_id = '${contact.id}'::uuid`,
          );
        }),
      ).rejects.toThrow(/append-only/);
    }
  });
});

describe('concurrent writers', () => {
  it('writers of one contact in transactions of their own never fork its chain', async () => {
    const contact = await createContact(db);
    const writers = 12;
    // Each transaction inserts, then holds on a moment so that the others pile up on its lock.
    await Promise.all(
      Array.from({ length: writers }, () =>
        db.$transaction(async (tx) => {
          await insertRow(tx, contact.id);
          await tx.$executeRaw`SELECT pg_sleep(0.02)`;
          await insertRow(tx, contact.id);
        }),
      ),
    );
    const chain = await chainOf(contact.id);
    expect(chain).toHaveLength(writers * 2);
    let previous: Buffer = ZERO_HASH;
    for (const row of chain) {
      expect(Buffer.from(row.prev_hash).equals(previous)).toBe(true);
      previous = Buffer.from(row.row_hash);
    }
    expect((await verifyAll()).problems).toEqual([]);
  });
});

describe('anchors', () => {
  it('an anchor is a Merkle root of the rows since the last one, signed: it verifies with the public key', async () => {
    const contact = await createContact(db);
    await writeAnchor(db, signer);
    for (let index = 0; index < 5; index++) await insertRow(db, contact.id);
    const anchor = await writeAnchor(db, signer);
    expect(anchor).toMatchObject({ rowCount: 5 });
    const [stored] = await db.$queryRaw<
      {
        from_seq: bigint;
        to_seq: bigint;
        row_count: number;
        root: Uint8Array;
        prev_root: Uint8Array;
        signature: Uint8Array;
        key_id: string;
        period_start: Date;
        period_end: Date;
      }[]
    >`SELECT * FROM evidence_roots WHERE id = ${anchor!.id}`;
    const leaves = (await chainOf(contact.id)).map((row) => Buffer.from(row.row_hash));
    expect(Buffer.from(stored!.root).equals(merkleRoot(leaves))).toBe(true);
    const statement = anchorStatement({
      fromSeq: stored!.from_seq,
      toSeq: stored!.to_seq,
      rowCount: stored!.row_count,
      root: Buffer.from(stored!.root),
      prevRoot: Buffer.from(stored!.prev_root),
      periodStart: stored!.period_start,
      periodEnd: stored!.period_end,
    });
    expect(verify(null, statement, publicKey, Buffer.from(stored!.signature))).toBe(true);
    expect(
      verify(null, statement, generateKeyPairSync('ed25519').publicKey, Buffer.from(stored!.signature)),
    ).toBe(false);
    // Nothing new: no anchor.
    expect(await writeAnchor(db, signer)).toBeNull();
    // An anchor cannot be changed or removed.
    await expect(db.$executeRaw`DELETE FROM evidence_roots WHERE id = ${anchor!.id}`).rejects.toThrow(
      /append-only/,
    );
  });

  it('a row whose transaction commits after later rows were written is in an anchor, not left behind', async () => {
    const contact = await createContact(db);
    const other = await createContact(db);
    await writeAnchor(db, signer);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let lateId: bigint | undefined;
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    // The late transaction takes its id first, and commits last.
    const late = db.$transaction(
      async (tx) => {
        lateId = (await insertRow(tx, contact.id))[0]!.id;
        inserted();
        await held;
      },
      { timeout: 20_000 },
    );
    await insertedSignal;
    const earlyIds: bigint[] = [];
    for (let index = 0; index < 3; index++) earlyIds.push((await insertRow(db, other.id))[0]!.id);
    expect(earlyIds[0]! > lateId!).toBe(true);
    // The anchor waits for the late writer, then covers its row.
    const anchoring = writeAnchor(db, signer, { lockTimeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await late;
    const anchor = await anchoring;
    const [row] = await db.$queryRaw<
      { evidence_seq: bigint }[]
    >`SELECT evidence_seq FROM consent_log WHERE id = ${lateId!}`;
    expect(row!.evidence_seq > anchor!.fromSeq && row!.evidence_seq <= anchor!.toSeq).toBe(true);
    expect(anchor!.rowCount).toBe(4);
    const uncovered = await db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM consent_log WHERE evidence_seq > (SELECT max(to_seq) FROM evidence_roots)`;
    expect(uncovered[0]!.count).toBe(0n);
    expect((await verifyAll()).problems).toEqual([]);
  });

  it('an anchor holds at most maxRows rows; the next ones continue where it stopped', async () => {
    const contact = await createContact(db);
    await writeAnchor(db, signer);
    for (let index = 0; index < 5; index++) await insertRow(db, contact.id);
    const first = await writeAnchor(db, signer, { maxRows: 2 });
    const second = await writeAnchor(db, signer, { maxRows: 2 });
    const third = await writeAnchor(db, signer, { maxRows: 2 });
    expect([first, second, third].map((anchor) => [anchor?.rowCount, anchor?.more])).toEqual([
      [2, true],
      [2, true],
      [1, false],
    ]);
    expect(second!.fromSeq).toBe(first!.toSeq);
    expect(third!.fromSeq).toBe(second!.toSeq);
    expect(await writeAnchor(db, signer, { maxRows: 2 })).toBeNull();
    expect((await verifyAll()).problems).toEqual([]);
  });

  it('an anchor that cannot wait for a long writer gives up, and the next one covers its row', async () => {
    const contact = await createContact(db);
    await writeAnchor(db, signer);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const late = db.$transaction(
      async (tx) => {
        await insertRow(tx, contact.id);
        inserted();
        await held;
      },
      { timeout: 20_000 },
    );
    await insertedSignal;
    await expect(writeAnchor(db, signer, { lockTimeoutMs: 200 })).rejects.toThrow(/lock timeout/i);
    release();
    await late;
    expect(await writeAnchor(db, signer)).toMatchObject({ rowCount: 1 });
  });
});
