import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { publicParts } from '@herald/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { writeEvidencePack } from '../src/evidence-pack/build-evidence-pack.js';
import { createEvidenceSigner } from '../src/evidence-pack/evidence-signer.js';
import { verifyEvidencePack } from '../src/evidence-pack/verify-evidence-pack.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * A policy version's evidence pack, built from a real announcement in this file's own database and
 * checked from the zip alone: it verifies; a changed line, an added file or another key does not.
 */
const DAY = 24 * 3600 * 1000;
const run = promisify(execFile);
const signer = createEvidenceSigner(publicParts(generateKeyPairSync('ed25519').privateKey));
let h: Harness;
let policyId = '';
let pack: Buffer;
const contacts: Record<string, string> = {};

async function buildPack(): Promise<Buffer> {
  const version = await h.db.policyVersion.findUniqueOrThrow({ where: { id: policyId } });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => out.on('end', resolve));
  await writeEvidencePack(h.db, { version, signer, atRiskDays: 7, out });
  await ended;
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  h = await startHarness({ worker: true, env: { HERALD_POLICY_SWEEP_INTERVAL_MS: '200' } });
  for (const [name, body] of Object.entries({
    reader: { email: uniqueEmail('reader') },
    noAddress: { externalId: `no-address-${Date.now()}` },
  })) {
    const created = await h.request('POST', '/v1/contacts', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    contacts[name] = created.body.id;
  }
  const policy = await h.request('POST', '/v1/policies', {
    version: `evidence-${Date.now().toString(36)}`,
    title: 'Privacy Policy',
    summary: 'We keep delivery logs for 90 days.',
    url: 'https://example.com/legal/privacy',
    effectiveAt: new Date(Date.now() + 35 * DAY).toISOString(),
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  policyId = policy.body.id;
  await h.request('POST', `/v1/policies/${policyId}/announce`, {});
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await h.request('GET', `/v1/policies/${policyId}/coverage`);
    if (body.fanOutDone && body.pending === 0 && body.awaitingNotice === 0) break;
    if (Date.now() > deadline) throw new Error(`announcement not settled: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  pack = await buildPack();
}, 90_000);
afterAll(async () => h?.close());

describe('the policy evidence pack', () => {
  it('holds the version, every contact with its delivery evidence, the at-risk days, and a signed manifest', () => {
    const result = verifyEvidencePack(pack, signer.publicKeyPem);
    expect(result).toMatchObject({ ok: true, files: 4 });
    const files = unzipSync(pack);
    expect(Object.keys(files).sort()).toEqual(
      [
        'at-risk.json',
        'deliveries.ndjson',
        'index.html',
        'manifest.json',
        'manifest.sig',
        'policy.json',
      ].sort(),
    );
    const policy = JSON.parse(Buffer.from(files['policy.json'] ?? new Uint8Array()).toString());
    expect(policy).toMatchObject({ id: policyId, requiredNoticeDays: 30, overrideReason: null, notices: 2 });
    expect(policy.noticeDays).toBeCloseTo(35, 0);
    expect(policy.announcementEndedAt).not.toBeNull();

    const deliveries = Buffer.from(files['deliveries.ndjson'] ?? new Uint8Array())
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const reader = deliveries.find((entry) => entry.contactId === contacts.reader);
    expect(reader.email).toMatchObject({ status: 'sent', smtpReply: expect.stringMatching(/^250 /) });
    expect(reader.notEmailedBecause).toBeNull();
    const inApp = deliveries.find((entry) => entry.contactId === contacts.noAddress);
    expect(inApp).toMatchObject({
      email: null,
      notEmailedBecause: expect.stringContaining('no email address'),
    });

    const atRisk = JSON.parse(Buffer.from(files['at-risk.json'] ?? new Uint8Array()).toString());
    // At the announcement the reader's email was not yet delivered; a day later nobody was at risk.
    expect(atRisk.checkpoints[0]).toMatchObject({ atRisk: 1, contactIds: [contacts.reader] });
    expect(Buffer.from(files['index.html'] ?? new Uint8Array()).toString()).toContain(
      'Evidence pack: Privacy Policy',
    );
  });

  it('fails on a changed line, an added file, a removed file or another key, naming what is wrong', () => {
    const files = unzipSync(pack);
    const changed = {
      ...files,
      'deliveries.ndjson': strToU8(
        Buffer.from(files['deliveries.ndjson']!).toString().replace('"sent"', '"queued"'),
      ),
    };
    expect(verifyEvidencePack(zipSync(changed))).toMatchObject({
      ok: false,
      problem: expect.stringContaining('deliveries.ndjson was changed'),
    });
    expect(verifyEvidencePack(zipSync({ ...files, 'extra.txt': strToU8('x') }))).toMatchObject({
      ok: false,
      problem: 'files not in the manifest: extra.txt',
    });
    const { 'at-risk.json': _removed, ...without } = files;
    expect(verifyEvidencePack(zipSync(without))).toMatchObject({
      ok: false,
      problem: expect.stringContaining('at-risk.json is listed'),
    });
    const other = createEvidenceSigner(publicParts(generateKeyPairSync('ed25519').privateKey));
    expect(verifyEvidencePack(pack, other.publicKeyPem)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not the trusted key'),
    });
    // A manifest rewritten to match a changed file no longer matches its signature.
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString());
    manifest.files[0].sha256 = '0'.repeat(64);
    expect(
      verifyEvidencePack(zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify(manifest)) })),
    ).toMatchObject({
      ok: false,
      problem: expect.stringContaining('signature of manifest.json does not verify'),
    });
  });

  it('is downloaded from the API signed with the key the API publishes, and the download is audited', async () => {
    const response = await fetch(`${h.url}/v1/policies/${policyId}/evidence-pack`, {
      headers: { authorization: `Bearer ${h.env.HERALD_API_KEY}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const key = await fetch(`${h.url}/.well-known/herald-evidence-key`).then(
      (answer) => answer.json() as Promise<{ keyId: string; publicKeyPem: string }>,
    );
    const downloaded = verifyEvidencePack(Buffer.from(await response.arrayBuffer()), key.publicKeyPem);
    expect(downloaded).toMatchObject({ ok: true, manifest: { policyId, key: { id: key.keyId } } });
    const audit = await h.db.auditLogEntry.findMany({
      where: { targetId: policyId, action: 'policy.evidence_exported' },
    });
    expect(audit).toHaveLength(1);
    const unknown = await fetch(`${h.url}/v1/policies/00000000-0000-7000-8000-000000000000/evidence-pack`, {
      headers: { authorization: `Bearer ${h.env.HERALD_API_KEY}` },
    });
    expect(unknown.status).toBe(404);
  });

  it('verifies offline with the command, exiting 1 when the pack was changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-pack-'));
    const good = join(dir, 'pack.zip');
    const bad = join(dir, 'changed.zip');
    const key = join(dir, 'key.pem');
    writeFileSync(good, pack);
    writeFileSync(key, signer.publicKeyPem);
    const files = unzipSync(pack);
    writeFileSync(bad, zipSync({ ...files, 'policy.json': strToU8('{}') }));
    const cli = new URL('../dist/cli/verify-evidence-pack.js', import.meta.url).pathname;
    const ok = await run(process.execPath, [cli, good, '--key', key]);
    expect(ok.stdout).toContain(`signed by key ${signer.keyId} (the trusted key)`);
    const refused = await run(process.execPath, [cli, bad]).catch((error) => error);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('NOT VERIFIED: policy.json was changed');
  });
});
