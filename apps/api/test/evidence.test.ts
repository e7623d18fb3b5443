import { createPublicKey, verify } from 'node:crypto';
import { anchorStatement } from '@herald/preferences';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * Decision 023 through the API and the worker: the worker signs anchors over the consent log, the
 * API publishes the public key without auth, and GET /v1/evidence/verify (scope audit) checks the
 * period and names the first row that does not match.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ worker: true, env: { HERALD_EVIDENCE_INTERVAL_MS: '200' } });
});
afterAll(async () => h?.close());

async function waitForAnchor(minimumToSeq: bigint): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await h.db.$queryRaw<
      { to_seq: bigint | null }[]
    >`SELECT max(to_seq) AS to_seq FROM evidence_roots`;
    if ((row?.to_seq ?? 0n) >= minimumToSeq) return;
    if (Date.now() > deadline) throw new Error(`no anchor reached evidence_seq ${minimumToSeq}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the tamper-evident consent log through the API', () => {
  it("the worker's anchors verify with the key at /.well-known/herald-evidence-key, and the API reports the first altered row", async () => {
    const created = await h.request('POST', '/v1/contacts', { email: uniqueEmail('evidence') });
    const contactId = created.body.id as string;
    const change = await h.request('PUT', `/v1/contacts/${contactId}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: false }],
      reason: 'Asked by phone',
      actor: 'agent-7',
    });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    const [latest] = await h.db.$queryRaw<{ id: bigint; evidence_seq: bigint }[]>`
      SELECT id, evidence_seq FROM consent_log WHERE contact_id = ${contactId}::uuid ORDER BY evidence_seq DESC LIMIT 1`;
    await waitForAnchor(latest!.evidence_seq);

    // The key without a key: anyone may fetch it.
    const published = await fetch(`${h.url}/.well-known/herald-evidence-key`);
    expect(published.status).toBe(200);
    const key = (await published.json()) as { keyId: string; publicKeyPem: string; jwk: { x: string } };
    const fromPem = createPublicKey(key.publicKeyPem);
    const fromJwk = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.jwk.x }, format: 'jwk' });
    const anchors = await h.db.evidenceRoot.findMany({ orderBy: { toSeq: 'asc' } });
    expect(anchors.length).toBeGreaterThan(0);
    for (const anchor of anchors) {
      expect(anchor.keyId).toBe(key.keyId);
      const statement = anchorStatement({
        fromSeq: anchor.fromSeq,
        toSeq: anchor.toSeq,
        rowCount: anchor.rowCount,
        root: Buffer.from(anchor.root),
        prevRoot: Buffer.from(anchor.prevRoot),
        periodStart: anchor.periodStart,
        periodEnd: anchor.periodEnd,
      });
      expect(verify(null, statement, fromPem, Buffer.from(anchor.signature))).toBe(true);
      expect(verify(null, statement, fromJwk, Buffer.from(anchor.signature))).toBe(true);
    }

    const today = new Date().toISOString().slice(0, 10);
    const ok = await h.request('GET', `/v1/evidence/verify?from=2020-01-01&to=${today}`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, firstProblem: null, gaps: [] });
    expect(ok.body.rows as number).toBeGreaterThan(0);

    await h.db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
      await tx.$executeRaw`UPDATE consent_log SET actor = 'someone-else' WHERE id = ${latest!.id}`;
    });
    const broken = await h.request('GET', `/v1/evidence/verify?from=2020-01-01&to=${today}`);
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({
      ok: false,
      firstProblem: { kind: 'row-altered', rowId: latest!.id.toString(), contactId },
    });

    const badQuery = await h.request('GET', `/v1/evidence/verify?from=${today}&to=2020-01-01`);
    expect(badQuery.status).toBe(400);
  });
});
