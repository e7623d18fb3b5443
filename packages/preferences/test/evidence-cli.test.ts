import { spawn } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { REPO_ROOT } from '@herald/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAnchor } from '../src/evidence/anchor.js';
import { connect, createContact } from './support/database.js';

/** `npm run verify-evidence`: a summary and exit code 0 while the log verifies, the first bad row and 1 when not. */
const db = connect();
afterAll(() => db.$disconnect());

function verifyCli(key: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/verify-evidence.ts', '--from', '2020-01-01', '--to', '2099-12-31'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL, HERALD_EVIDENCE_KEY: key },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('npm run verify-evidence', () => {
  it('exits 0 with a summary, then 1 naming the row changed behind the triggers', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const contact = await createContact(db);
    const [row] = await db.$queryRaw<{ id: bigint }[]>`
      INSERT INTO consent_log (contact_id, action, source) VALUES (${contact.id}::uuid, 'unsubscribe', 'api') RETURNING id`;
    // The key id the API and the CLI give a key: SHA-256 of its SubjectPublicKeyInfo, 16 hex digits.
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const keyId = createHash('sha256').update(spki).digest('hex').slice(0, 16);
    await writeAnchor(db, { privateKey, keyId });

    const ok = await verifyCli(key);
    expect(ok.output).toMatch(/1 rows .* 1 anchors/);
    expect(ok.output).toContain('OK: every chain and anchor verifies');
    expect(ok.code, ok.output).toBe(0);

    // Another key: the anchor's signature cannot be checked.
    const otherKey = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'der' })
      .toString('base64');
    const unknown = await verifyCli(otherKey);
    expect(unknown.code, unknown.output).toBe(1);
    expect(unknown.output).toContain('anchor-unknown-key');

    await db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
      await tx.$executeRaw`UPDATE consent_log SET source = 'import' WHERE id = ${row!.id}`;
    });
    const failed = await verifyCli(key);
    expect(failed.code, failed.output).toBe(1);
    expect(failed.output).toContain(`First: row-altered at row ${row!.id} (contact ${contact.id})`);
  });
});
