import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Zip, ZipDeflate } from 'fflate';
import type { Db, PolicyVersion } from '@herald/db';
import { Prisma } from '@herald/db';
import { getPolicyCoverage } from '../policies/get-policy-coverage.js';
import type { EvidenceSigner } from './evidence-signer.js';
import { renderPackHtml } from './render-pack-html.js';
import {
  EVIDENCE_PACK_FORMAT,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  type EvidencePackManifest,
} from './pack-format.js';

const DAY_MS = 24 * 3600 * 1000;
const PAGE = 5000;
/** Contact ids listed per at-risk checkpoint; the counts are always whole, and deliveries.ndjson gives every contact's delivery time. */
const AT_RISK_IDS_LISTED = 10_000;

/** One contact's notice of the version, as the pack records it. */
export interface DeliveryEvidence {
  contactId: string;
  noticePostedAt: string;
  acknowledgedAt: string | null;
  emailAttempts: number;
  email: {
    messageId: string;
    status: string;
    reason: string | null;
    sentAt: string | null;
    smtpReply: string | null;
    smtpReplyAt: string | null;
  } | null;
  /** Why the contact was not emailed, or its email did not arrive: the in-app notice covered it. */
  notEmailedBecause: string | null;
}

type Row = {
  id: string;
  contact_id: string;
  created_at: Date;
  contact_created_at: Date;
  acknowledged_at: Date | null;
  email_attempts: number;
  message_id: string | null;
  status: string | null;
  reason: string | null;
  sent_at: Date | null;
  reply: string | null;
  reply_at: Date | null;
};

/**
 * Writes a policy version's evidence pack to `out` as a zip, read and compressed a page at a time:
 * the version and its notice, every contact's notice with its delivery evidence (deliveries.ndjson),
 * who was at risk at each day of the notice period, a readable index.html, and a manifest of every
 * file's SHA-256 signed with the evidence key, so the zip alone can be checked offline.
 */
export async function writeEvidencePack(
  db: Db,
  {
    version,
    signer,
    atRiskDays,
    out,
    now = new Date(),
  }: { version: PolicyVersion; signer: EvidenceSigner; atRiskDays: number; out: Writable; now?: Date },
): Promise<void> {
  let needDrain = false;
  let failed: Error | null = null;
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      failed = error;
      return;
    }
    if (!out.write(chunk)) needDrain = true;
    if (final) out.end();
  });
  const settle = async () => {
    if (failed) throw failed;
    if (needDrain && !out.writableEnded) {
      needDrain = false;
      await once(out, 'drain');
    }
  };
  const files: EvidencePackManifest['files'] = [];
  const addFile = (name: string) => {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    const hash = createHash('sha256');
    let bytes = 0;
    return {
      push(text: string, final = false) {
        const data = Buffer.from(text);
        hash.update(data);
        bytes += data.length;
        entry.push(data, final);
      },
      end() {
        entry.push(new Uint8Array(0), true);
        files.push({ name, sha256: hash.digest('hex'), bytes });
      },
    };
  };

  const coverage = await getPolicyCoverage(db, { version, atRiskDays, now });
  // The at-risk checkpoints: the announcement, then each day until the effective date (or now).
  const start = version.announcedAt ?? version.createdAt;
  const end = new Date(Math.min(version.effectiveAt.getTime(), now.getTime()));
  const checkpoints: { at: Date; atRisk: number; contactIds: string[] }[] = [];
  for (let at = start.getTime(); at <= end.getTime(); at += DAY_MS)
    checkpoints.push({ at: new Date(at), atRisk: 0, contactIds: [] });
  if (version.effectiveAt.getTime() <= now.getTime())
    checkpoints.push({ at: version.effectiveAt, atRisk: 0, contactIds: [] });

  const deliveries = addFile('deliveries.ndjson');
  let count = 0;
  let lastDelivered: Date | null = null;
  const sample: DeliveryEvidence[] = [];
  for (let cursor = '00000000-0000-0000-0000-000000000000'; ; ) {
    const rows = await db.$queryRaw<Row[]>(Prisma.sql`
      SELECT n.id::text, n.contact_id::text, n.created_at, c.created_at AS contact_created_at,
             n.acknowledged_at, n.email_attempts,
             m.id::text AS message_id, m.status::text AS status, m.reason, m.sent_at,
             e.detail->>'response' AS reply, e.occurred_at AS reply_at
        FROM notices n
        JOIN contacts c ON c.id = n.contact_id
        LEFT JOIN messages m ON m.id = n.message_id
        LEFT JOIN LATERAL (SELECT detail, occurred_at FROM message_events
                            WHERE message_id = m.id AND type IN ('sent', 'bounced', 'failed')
                            ORDER BY id DESC LIMIT 1) e ON true
       WHERE n.policy_version_id = ${version.id}::uuid AND n.id > ${cursor}::uuid
       ORDER BY n.id
       LIMIT ${PAGE}`);
    if (rows.length === 0) break;
    let text = '';
    for (const row of rows) {
      const evidence = toEvidence(row);
      text += `${JSON.stringify(evidence)}\n`;
      if (sample.length < 200) sample.push(evidence);
      count++;
      if (row.sent_at && row.status === 'sent' && (!lastDelivered || row.sent_at > lastDelivered))
        lastDelivered = row.sent_at;
      // Reachable (emailed, not bounced) and not delivered at a checkpoint: at risk then.
      if (row.message_id && row.status !== 'bounced' && row.status !== 'suppressed') {
        for (const checkpoint of checkpoints) {
          // Someone who was not yet a contact was not at risk then.
          if (row.contact_created_at > checkpoint.at) continue;
          if (row.status === 'sent' && row.sent_at && row.sent_at <= checkpoint.at) continue;
          checkpoint.atRisk++;
          if (checkpoint.contactIds.length < AT_RISK_IDS_LISTED) checkpoint.contactIds.push(row.contact_id);
        }
      }
    }
    deliveries.push(text);
    cursor = rows.at(-1)?.id ?? cursor;
    await settle();
  }
  deliveries.end();

  const policy = {
    id: version.id,
    version: version.version,
    title: version.title,
    summary: version.summary,
    url: version.url,
    publishedAt: version.createdAt.toISOString(),
    effectiveAt: version.effectiveAt.toISOString(),
    requiredNoticeDays: version.requiredNoticeDays,
    overrideReason: version.overrideReason,
    announcedAt: version.announcedAt?.toISOString() ?? null,
    noticeDays:
      version.announcedAt === null
        ? null
        : (version.effectiveAt.getTime() - version.announcedAt.getTime()) / DAY_MS,
    fanOutDoneAt: version.fannedOutAt?.toISOString() ?? null,
    announcementEndedAt: coverage.undeliveredReachable === 0 ? (lastDelivered?.toISOString() ?? null) : null,
    atRiskSince: version.atRiskSince?.toISOString() ?? null,
    coverage,
    notices: count,
    generatedAt: now.toISOString(),
  };
  const policyFile = addFile('policy.json');
  policyFile.push(`${JSON.stringify(policy, null, 2)}\n`);
  policyFile.end();

  const atRisk = addFile('at-risk.json');
  atRisk.push(
    `${JSON.stringify(
      {
        note: `Reachable contacts (emailed, not bounced) whose email had not been delivered at each point. At most ${AT_RISK_IDS_LISTED} ids are listed per point; the count is whole, and deliveries.ndjson gives every contact's delivery time.`,
        checkpoints: checkpoints.map((checkpoint) => ({
          at: checkpoint.at.toISOString(),
          atRisk: checkpoint.atRisk,
          contactIds: checkpoint.contactIds,
          listed: checkpoint.contactIds.length,
        })),
      },
      null,
      2,
    )}\n`,
  );
  atRisk.end();

  const html = addFile('index.html');
  html.push(renderPackHtml({ policy, checkpoints, sample, keyId: signer.keyId }));
  html.end();
  await settle();

  const manifest: EvidencePackManifest = {
    format: EVIDENCE_PACK_FORMAT,
    policyId: version.id,
    policyVersion: version.version,
    generatedAt: now.toISOString(),
    files,
    key: { id: signer.keyId, algorithm: 'Ed25519', publicKeyPem: signer.publicKeyPem },
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const manifestEntry = new ZipDeflate(MANIFEST_FILE, { level: 6 });
  zip.add(manifestEntry);
  manifestEntry.push(manifestBytes, true);
  const signatureEntry = new ZipDeflate(SIGNATURE_FILE, { level: 0 });
  zip.add(signatureEntry);
  signatureEntry.push(Buffer.from(`${signer.sign(manifestBytes).toString('base64')}\n`), true);
  zip.end();
  await settle();
}

function toEvidence(row: Row): DeliveryEvidence {
  const email = row.message_id
    ? {
        messageId: row.message_id,
        status: row.status ?? 'unknown',
        reason: row.reason,
        sentAt: row.sent_at?.toISOString() ?? null,
        smtpReply: row.reply,
        smtpReplyAt: row.reply_at?.toISOString() ?? null,
      }
    : null;
  const notEmailedBecause = !email
    ? 'no email address: notified in the app only'
    : email.status === 'sent' || email.status === 'queued' || email.status === 'sending'
      ? null
      : `email ${email.status}${email.reason ? `: ${email.reason}` : ''}; notified in the app`;
  return {
    contactId: row.contact_id,
    noticePostedAt: row.created_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    emailAttempts: row.email_attempts,
    email,
    notEmailedBecause,
  };
}
