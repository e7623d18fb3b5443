/**
 * `npm run verify-evidence-pack -- <pack.zip | report.json> [--key <public key PEM file | URL>]`: checks a policy
 * evidence pack offline, from the zip alone: the manifest's signature, every file's SHA-256, no
 * file added. With --key the pack must be signed by that key (a PEM file, or the API's
 * /.well-known/herald-evidence-key, whose JSON holds the PEM); without it the key the pack names is
 * printed, to compare with the one the company publishes. Exits 0 when the pack verifies, 1 if not.
 * A saved conformance report (GET /v1/reports/conformance, `.json`) is checked against --key, which
 * it then needs: a report carries only its key's id.
 */
import { readFileSync } from 'node:fs';
import { verifyReport } from '../conformance/sign-report.js';
import { verifyEvidencePack } from '../evidence-pack/verify-evidence-pack.js';

async function readKey(source: string): Promise<string> {
  if (!/^https?:\/\//.test(source)) return readFileSync(source, 'utf8');
  const response = await fetch(source);
  if (!response.ok) throw new Error(`GET ${source}: ${response.status}`);
  const text = await response.text();
  if (text.includes('-----BEGIN')) {
    const match = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(
      text.replace(/\\n/g, '\n'),
    );
    if (match) return match[0];
  }
  throw new Error(`${source} holds no PEM public key`);
}

const args = process.argv.slice(2);
const keyAt = args.indexOf('--key');
const keySource = keyAt === -1 ? undefined : args[keyAt + 1];
const file = args.find((arg, index) => !arg.startsWith('--') && (keyAt === -1 || index !== keyAt + 1));
if (!file || (keyAt !== -1 && !keySource)) {
  console.error('usage: npm run verify-evidence-pack -- <pack.zip> [--key <public key PEM file | URL>]');
  process.exit(2);
}
try {
  const trusted = keySource ? await readKey(keySource) : undefined;
  if (file.endsWith('.json')) {
    if (!trusted) {
      console.error('a conformance report is checked against a key: add --key <public key PEM file | URL>');
      process.exit(2);
    }
    const report = verifyReport(readFileSync(file, 'utf8'), trusted);
    if (!report.ok) {
      console.error(`NOT VERIFIED: ${report.problem}`);
      process.exit(1);
    }
    console.log(`verified: the conformance report is signed by key ${report.keyId} (the trusted key)`);
    process.exit(0);
  }
  const result = verifyEvidencePack(readFileSync(file), trusted);
  if (!result.ok) {
    console.error(`NOT VERIFIED: ${result.problem}`);
    process.exit(1);
  }
  const { manifest } = result;
  console.log(
    `verified: ${manifest.files.length} files of policy ${manifest.policyVersion} (made ${manifest.generatedAt}), signed by key ${manifest.key.id}${trusted ? ' (the trusted key)' : ''}`,
  );
  if (!trusted)
    console.log(`compare the key with the one the company publishes:\n${manifest.key.publicKeyPem}`);
} catch (error) {
  console.error(`cannot verify: ${(error as Error).message}`);
  process.exit(2);
}
