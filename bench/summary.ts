/**
 * The performance table (issue 12) from the figures the benchmarks wrote to bench/results/*.json:
 * one row per target, with what this machine measured, the target and whether it was met, and the
 * CPU per message of each process during the delivery benchmark's burst. `npm run bench` prints it at
 * the end; `node --import tsx bench/summary.ts` prints it again from the last results. A row whose
 * benchmark did not run (BENCH_ONLY, BENCH_SKIP_*) says so. Also written to bench/results/summary.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const resultsDir = new URL('./results/', import.meta.url);
function load(name: string): Json | null {
  const file = new URL(`${name}.json`, resultsDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : null;
}

interface Row {
  figure: string;
  measured: string;
  target: string;
  /** null: not measured in the results at hand. */
  met: boolean | null;
  source: string;
}

const delivery = load('delivery');
const batch = load('batch');
const campaign = load('campaign');
const oneClick = load('one-click');
const rows: Row[] = [];
const notRun = (figure: string, target: string, source: string, why = `not run (BENCH_ONLY=${source})`) =>
  rows.push({ figure, measured: why, target, met: null, source });
const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

if (delivery) {
  const cpu = delivery.cpuMsPerMessage;
  rows.push({
    figure:
      "Herald's CPU per transactional message on top of nodemailer's (API + worker + PostgreSQL + Redis, burst)",
    measured: `${fixed(cpu.heraldOnTopOfNodemailer)} ms (Herald ${fixed(cpu.burst.heraldMs)} ms, bare nodemailer ${fixed(cpu.bareNodemailer)} ms)`,
    target: `≤ ${cpu.targetOnTopMs} ms`,
    met: cpu.heraldOnTopOfNodemailer <= cpu.targetOnTopMs,
    source: 'delivery',
  });
  rows.push({
    figure: 'transactional burst of 5,000 through the API, end to end, ratio to bare nodemailer',
    measured: `${fixed(delivery.burst.ratio)} (${delivery.burst.heraldPerSecond}/s against ${delivery.bareNodemailer.perSecond}/s)`,
    target: `≥ ${delivery.burst.targetRatio}`,
    met: delivery.burst.ratio >= delivery.burst.targetRatio,
    source: 'delivery',
  });
  rows.push({
    figure: 'transactional delivery only (queued first), ratio',
    measured: `${fixed(delivery.deliveryOnly.ratio)} (${delivery.deliveryOnly.perSecond}/s)`,
    target: `≥ ${delivery.deliveryOnly.targetRatio}`,
    met: delivery.deliveryOnly.ratio >= delivery.deliveryOnly.targetRatio,
    source: 'delivery',
  });
} else {
  for (const figure of [
    "Herald's CPU per transactional message on top of nodemailer's",
    'transactional burst, ratio',
    'delivery only, ratio',
  ])
    notRun(figure, '', 'delivery');
}

if (campaign?.campaign) {
  rows.push({
    figure: `${campaign.campaign.contacts.toLocaleString('en')}-contact campaign, end to end, ratio`,
    measured: `${fixed(campaign.ratio, 3)} (${campaign.campaign.endToEndPerSecond}/s against ${campaign.bareNodemailer.perSecond}/s; lost ${campaign.campaign.lost}, duplicated ${campaign.campaign.duplicated})`,
    target: `≥ ${campaign.targets.ratio}`,
    met: campaign.ratio >= campaign.targets.ratio && campaign.campaign.lost === 0,
    source: 'campaign',
  });
} else notRun('100,000-contact campaign, end to end, ratio', '≥ 0.95', 'campaign');

if (campaign?.million) {
  const m = campaign.million;
  rows.push({
    figure: `${m.contacts.toLocaleString('en')}-contact campaign, end to end, zero lost`,
    measured: `${fixed(m.ratio, 3)} (${m.endToEndPerSecond}/s, ${m.endToEndSeconds} s; lost ${m.lost}, duplicated ${m.duplicated})`,
    target: `completes; ratio ≥ ${campaign.targets.million.ratio}`,
    met: m.ratio >= campaign.targets.million.ratio && m.lost === 0 && m.contacts >= 1_000_000,
    source: 'campaign',
  });
  const peak = Math.max(...m.workerRssMiB.peakMiB);
  rows.push({
    figure: `worker peak RSS during the ${m.contacts.toLocaleString('en')} campaign`,
    measured: `${peak} MB peak (first quarter ${m.workerRssMiB.firstQuarterPeakMiB} MB, last quarter ${m.workerRssMiB.lastQuarterPeakMiB} MB)`,
    target: `≤ ${campaign.targets.million.workerPeakRssMiB} MB, flat`,
    met: peak <= campaign.targets.million.workerPeakRssMiB,
    source: 'campaign',
  });
} else {
  notRun(
    '1,000,000-contact campaign, end to end',
    'ratio ≥ 0.9',
    'campaign',
    'not run (BENCH_SKIP_MILLION or BENCH_ONLY)',
  );
  notRun('worker peak RSS during the 1M campaign', '≤ 150 MB', 'campaign', 'not run');
}

if (delivery) {
  rows.push({
    figure: '`POST /v1/messages` accepted per second (one API process, 64 in flight)',
    measured: `${delivery.submission.acceptedPerSecond}/s`,
    target: `≥ ${delivery.submission.targetPerSecond}/s`,
    met: delivery.submission.acceptedPerSecond >= delivery.submission.targetPerSecond,
    source: 'delivery',
  });
} else notRun('`POST /v1/messages` accepted per second', '≥ 3,000/s', 'delivery');
if (batch) {
  rows.push({
    figure: '`POST /v1/messages/batch` accepted messages per second (1,000 per request)',
    measured: `${batch.batchSubmission.acceptedPerSecond}/s (single sends in the same run: ${batch.singleSubmission.acceptedPerSecond}/s)`,
    target: '(no target)',
    met: null,
    source: 'batch',
  });
}

if (campaign?.signInDuringCampaign) {
  const s = campaign.signInDuringCampaign;
  rows.push({
    figure: 'a sign-in link sent while a 100k campaign runs, POST to SMTP receipt',
    measured: `p50 ${s.postToSmtpMs.p50} ms, p99 ${s.postToSmtpMs.p99} ms (${s.sent} links, ${s.neverArrived} never arrived)`,
    target: `p99 ≤ ${campaign.targets.signInPostToSmtpP99Ms} ms`,
    met: s.postToSmtpMs.p99 <= campaign.targets.signInPostToSmtpP99Ms && s.neverArrived === 0,
    source: 'campaign',
  });
} else notRun('a sign-in link sent while a 100k campaign runs, p99', '≤ 1 s', 'campaign');

if (oneClick?.runs) {
  for (const run of oneClick.runs as Json[]) {
    rows.push({
      figure: `one-click POST at an offered ${run.offered.ratePerSecond.toLocaleString('en')}/s, fresh tokens, WEB_WORKERS=${run.webProcesses}`,
      measured: `p99 ${run.latencyMs.p99} ms (p50 ${run.latencyMs.p50} ms; ${run.answered.ok} of ${run.offered.requests} answered 200, ${run.timeouts} timeouts)`,
      target: run.target ? `p99 ≤ ${run.target.p99Ms} ms` : 'p99 ≤ 50 ms',
      met: Boolean(run.meetsTarget),
      source: 'one-click',
    });
  }
} else notRun('one-click POST at 1,000/s and 2,000/s, WEB_WORKERS=2', 'p99 ≤ 50 / 100 ms', 'one-click');

const clicks = load('clicks');
if (clicks) {
  rows.push({
    figure: `tracked-link redirects (GET /c/{token}) at an offered ${clicks.offered.ratePerSecond.toLocaleString('en')}/s, WEB_WORKERS=${clicks.webProcesses}`,
    measured: `${clicks.answered.perSecond}/s, p99 ${clicks.latencyMs.p99} ms (p50 ${clicks.latencyMs.p50} ms; ${clicks.answered.redirects} of ${clicks.offered.requests} redirected, ${clicks.clicksWritten} clicks written)`,
    target: `≥ ${clicks.target.ratePerSecond.toLocaleString('en')}/s, p99 ≤ ${clicks.target.p99Ms} ms`,
    met: Boolean(clicks.meetsTarget),
    source: 'clicks',
  });
} else notRun('tracked-link redirects at 2,000/s, WEB_WORKERS=2', '≥ 2,000/s, p99 ≤ 20 ms', 'clicks');

const lists = load('lists');
if (lists?.import) {
  const i = lists.import;
  rows.push({
    figure: `import of ${i.rows.toLocaleString('en')} rows (background: the API stages, one worker applies)`,
    measured: `${i.endToEndRowsPerSecond} rows/s (staging ${i.stageRowsPerSecond}/s, applying ${i.applyRowsPerSecond}/s)`,
    target: `≥ ${i.target.rowsPerSecond.toLocaleString('en')} rows/s`,
    met: i.endToEndRowsPerSecond >= i.target.rowsPerSecond,
    source: 'lists',
  });
  rows.push({
    figure: 'worker peak RSS while it applies an import',
    measured: `${i.workerPeakRssMb} MB`,
    target: `≤ ${i.target.workerPeakRssMb} MB`,
    met: i.workerPeakRssMb <= i.target.workerPeakRssMb,
    source: 'lists',
  });
  rows.push({
    figure: 'outbound webhook events delivered to a local receiver, one worker',
    measured: `${lists.webhooks.eventsPerSecond}/s (${lists.webhooks.received} of ${lists.webhooks.events})`,
    target: `≥ ${lists.webhooks.target}/s`,
    met:
      lists.webhooks.eventsPerSecond >= lists.webhooks.target &&
      lists.webhooks.received === lists.webhooks.events,
    source: 'lists',
  });
  const c = lists.consentWriteCost;
  rows.push({
    figure: 'the outbox on a consent write (one-click unsubscribe, 16 at a time): extra per write',
    measured: `${c.extraMsPerWrite} ms wall, ${c.extraPostgresCpuMsPerWrite} ms PostgreSQL CPU (${c.withEndpoint.writesPerSecond}/s with an endpoint, ${c.withoutEndpoint.writesPerSecond}/s without)`,
    target: 'measured, no target',
    met: null,
    source: 'lists',
  });
  const m = lists.messageStatusCost;
  if (m) {
    rows.push({
      figure: 'the outbox on a message marked sent (16 at a time): extra per status change',
      measured: `${m.extraMsPerUpdate} ms wall, ${m.extraPostgresCpuMsPerUpdate} ms PostgreSQL CPU (${m.withEndpoint.writesPerSecond}/s with an endpoint, ${m.withoutEndpoint.writesPerSecond}/s without)`,
      target: 'measured, no target',
      met: null,
      source: 'lists',
    });
  }
} else
  notRun(
    'import rows/s, webhook events/s, the outbox on a consent write',
    'see bench/lists.bench.ts',
    'lists',
  );

const mark = (met: boolean | null) => (met === null ? '–' : met ? 'met' : 'NOT met');
const lines = [
  '| figure | measured | target | |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.figure} | ${r.measured} | ${r.target} | ${mark(r.met)} |`),
];
if (delivery) {
  const cpu = delivery.cpuMsPerMessage;
  const phases: [string, Json][] = [
    ['burst (end to end)', cpu.burst],
    ['submission only', cpu.submissionOnly],
    ['delivery only', cpu.deliveryOnly],
  ];
  const names = Object.keys(cpu.burst.byProcess);
  lines.push(
    '',
    'CPU ms per message by process (delivery benchmark; /proc user+system time):',
    '',
    `| phase | ${names.join(' | ')} | Herald (api+worker+postgresql+redis) |`,
    `| --- | ${names.map(() => '---').join(' | ')} | --- |`,
    ...phases.map(
      ([phase, p]) =>
        `| ${phase} | ${names.map((n) => fixed(p.byProcess[n] ?? NaN, 3)).join(' | ')} | ${fixed(p.heraldMs, 3)} |`,
    ),
    `| bare nodemailer (its own process) | ${names.map(() => '').join(' | ')} | ${fixed(cpu.bareNodemailer, 3)} |`,
  );
}
const at = [delivery, batch, campaign, oneClick, lists].flatMap((r) => (r ? [`${r.benchmark} ${r.at}`] : []));
lines.push('', `from bench/results (${at.join('; ') || 'no results yet: run npm run bench'})`);
console.log(lines.join('\n'));
writeFileSync(new URL('summary.json', resultsDir), `${JSON.stringify({ rows, at }, null, 2)}\n`);
