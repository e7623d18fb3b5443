// `npm run verify-evidence -- --from 2026-12-01 --to 2026-12-31 [--public-key key.pem | --key-url URL] [--json]`:
// re-computes the consent log's hash chains and signed anchors for the period, from the database at
// DATABASE_URL, in this process (decision 023). Prints a short summary, or the first row or anchor
// that does not match and the gaps; exits 0 when everything verifies, 1 when not, 2 on bad usage.
// The anchors are checked with --public-key (a PEM file), the key served at --key-url (an API's
// /.well-known/herald-evidence-key), or else the public half of HERALD_EVIDENCE_KEY (the
// development key when unset).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEVELOPMENT_EVIDENCE_KEY, evidenceKeyId, parseEvidenceKey } from '@herald/config';
import { VerifyEvidenceSchema } from '@herald/contract';
import { createPrismaClient } from '@herald/db';
import { verifyEvidence } from '@herald/preferences';

async function publicKey(options: { 'public-key'?: string; 'key-url'?: string }): Promise<KeyObject> {
  if (options['public-key']) return createPublicKey(readFileSync(options['public-key'], 'utf8'));
  if (options['key-url']) {
    const response = await fetch(options['key-url']);
    if (!response.ok) throw new Error(`${options['key-url']} answered ${response.status}`);
    const body = (await response.json()) as { publicKeyPem: string };
    return createPublicKey(body.publicKeyPem);
  }
  return parseEvidenceKey(process.env.HERALD_EVIDENCE_KEY ?? DEVELOPMENT_EVIDENCE_KEY).publicKey;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'public-key': { type: 'string' },
      'key-url': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const period = VerifyEvidenceSchema.safeParse({ from: values.from ?? '', to: values.to ?? '' });
  if (!period.success) {
    console.error(
      `usage: npm run verify-evidence -- --from <date> --to <date> [--public-key file.pem | --key-url URL] [--json]\n` +
        period.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n'),
    );
    return 2;
  }
  const key = await publicKey(values);
  const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald';
  const db = createPrismaClient({ databaseUrl, maxConnections: 2 });
  try {
    const started = Date.now();
    let shown = started;
    const report = await verifyEvidence(db, {
      databaseUrl,
      // Every 2 s on standard error, so a long run shows it is moving and standard output stays the report.
      onProgress: (rows) => {
        if (Date.now() - shown < 2000) return;
        shown = Date.now();
        console.error(`… ${rows} rows checked (${((shown - started) / 1000).toFixed(0)} s)`);
      },
      from: period.data.from,
      to: period.data.to,
      publicKeys: new Map([[evidenceKeyId(key), key]]),
    });
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
      return report.ok ? 0 : 1;
    }
    const rate = report.seconds > 0 ? Math.round(report.rows / report.seconds) : report.rows;
    console.log(
      `consent log ${report.from} – ${report.to}: ${report.rows} rows (evidence_seq ${report.fromSeq}–${report.toSeq ?? 'newest'}), ` +
        `${report.anchors} anchors, ${report.unanchoredRows} rows not anchored yet; ${report.seconds.toFixed(1)} s (${rate} rows/s)`,
    );
    if (report.ok) {
      console.log('OK: every chain and anchor verifies');
      return 0;
    }
    const first = report.firstProblem!;
    console.log(
      `FAILED: ${report.problemCount} problem(s). First: ${first.kind}` +
        (first.rowId ? ` at row ${first.rowId} (contact ${first.contactId})` : '') +
        (first.anchorId ? ` at anchor ${first.anchorId}` : '') +
        `: ${first.detail}`,
    );
    for (const gap of report.gaps) console.log(`  gap: ${gap.detail}`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
