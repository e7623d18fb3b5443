import type { DeliveryEvidence } from './build-evidence-pack.js';

const escape = (value: unknown) => String(value ?? '—').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The pack's readable page: the version, its notice and coverage, who was at risk day by day, and
 * the first contacts' delivery evidence (deliveries.ndjson holds every contact). Plain HTML with
 * its own small style, readable offline in any browser.
 */
export function renderPackHtml({
  policy,
  checkpoints,
  sample,
  keyId,
}: {
  policy: {
    version: string;
    title: string;
    summary: string;
    url: string;
    publishedAt: string;
    effectiveAt: string;
    announcedAt: string | null;
    noticeDays: number | null;
    requiredNoticeDays: number;
    overrideReason: string | null;
    announcementEndedAt: string | null;
    notices: number;
    generatedAt: string;
    coverage: {
      reachable: number;
      deliveredBeforeEffective: number;
      inAppOnly: number;
      notifiedBeforeEffective: boolean;
    };
  };
  checkpoints: { at: Date; atRisk: number }[];
  sample: DeliveryEvidence[];
  keyId: string;
}): string {
  const rows = (cells: unknown[][]) =>
    cells.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence: ${escape(policy.title)} ${escape(policy.version)}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 1rem auto; max-width: 60rem; padding: 0 1rem; color: #111827; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #d1d5db; padding: 0.25rem 0.5rem; text-align: start; vertical-align: top; }
.wrap { overflow-x: auto; }
</style>
</head>
<body>
<h1>Evidence pack: ${escape(policy.title)}, version ${escape(policy.version)}</h1>
<p>Made ${escape(policy.generatedAt)}. Every file of this pack is listed with its SHA-256 in manifest.json,
which is signed (manifest.sig, Ed25519, key ${escape(keyId)}). Check it offline with
<code>npm run verify-evidence-pack -- this-file.zip</code>.</p>
<h2>The version</h2>
<div class="wrap"><table>
${rows([
  ['Summary', policy.summary],
  ['Full text', policy.url],
  ['Published', policy.publishedAt],
  ['Takes effect', policy.effectiveAt],
  ['Announced', policy.announcedAt ?? 'not announced'],
  [
    'Notice given',
    policy.noticeDays === null
      ? '—'
      : `${policy.noticeDays.toFixed(1)} days (required ${policy.requiredNoticeDays})`,
  ],
  ['Shorter notice because', policy.overrideReason ?? '—'],
  ['Announcement ended (last reachable contact emailed)', policy.announcementEndedAt ?? 'not yet'],
  ['Contacts noticed', policy.notices],
  ['Reachable by email', policy.coverage.reachable],
  ['Emailed before it took effect', policy.coverage.deliveredBeforeEffective],
  ['Notified in the app only', policy.coverage.inAppOnly],
  [
    'Everyone reachable emailed before it took effect',
    policy.coverage.notifiedBeforeEffective ? 'yes' : 'no',
  ],
])}
</table></div>
<h2>At risk, day by day</h2>
<p>Reachable contacts whose email had not been delivered at each point (their ids are in at-risk.json).</p>
<div class="wrap"><table>
<thead><tr><th scope="col">At</th><th scope="col">At risk</th></tr></thead>
${rows(checkpoints.map((checkpoint) => [checkpoint.at.toISOString(), checkpoint.atRisk]))}
</table></div>
<h2>Delivery evidence (first ${sample.length} of ${escape(policy.notices)} contacts)</h2>
<div class="wrap"><table>
<thead><tr><th scope="col">Contact</th><th scope="col">In-app notice</th><th scope="col">Acknowledged</th><th scope="col">Message</th><th scope="col">SMTP reply</th><th scope="col">Not emailed because</th></tr></thead>
${rows(
  sample.map((entry) => [
    entry.contactId,
    entry.noticePostedAt,
    entry.acknowledgedAt,
    entry.email
      ? `${entry.email.messageId} (${entry.email.status}${entry.email.sentAt ? `, ${entry.email.sentAt}` : ''})`
      : null,
    entry.email?.smtpReply ? `${entry.email.smtpReply} (${entry.email.smtpReplyAt})` : null,
    entry.notEmailedBecause,
  ]),
)}
</table></div>
</body>
</html>
`;
}
