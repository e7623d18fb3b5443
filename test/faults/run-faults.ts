/**
 * `npm run faults` (scripts/faults.sh): runs each fault scenario on an installation of its own,
 * prints a row per scenario and the table, writes test-results/faults.json, and exits non-zero when
 * any scenario failed. A scenario that fails because Herald does not survive the fault yet is
 * reported as failing: that is the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { assessInstallation } from './lib/assess-installation.js';
import { sizes } from './lib/sizes.js';
import { startInstallation } from './lib/start-installation.js';
import type { FaultRow, Scenario } from './lib/types.js';
import { blockedRelay } from './scenarios/blocked-relay.js';
import { postgresCut } from './scenarios/postgres-cut.js';
import { postgresTerminate } from './scenarios/postgres-terminate.js';
import { redisLost } from './scenarios/redis-lost.js';
import { smtpDown } from './scenarios/smtp-down.js';
import { smtpThrottled } from './scenarios/smtp-throttled.js';
import { workerFrozen } from './scenarios/worker-frozen.js';
import { workerKill } from './scenarios/worker-kill.js';
import { pauseStorm } from './scenarios/pause-storm.js';
import { rollingRestarts } from './scenarios/rolling-restarts.js';
import { slowSmtpOptOut } from './scenarios/slow-smtp-opt-out.js';
import { slowSmtpPauseCancel } from './scenarios/slow-smtp-pause-cancel.js';
import { slowSmtpSigterm } from './scenarios/slow-smtp-sigterm.js';
import { throttledCampaignSignIn } from './scenarios/throttled-campaign-sign-in.js';

const SCENARIOS: Scenario[] = [
  workerKill,
  blockedRelay,
  smtpThrottled,
  smtpDown,
  redisLost,
  postgresCut,
  postgresTerminate,
  workerFrozen,
  slowSmtpOptOut,
  slowSmtpPauseCancel,
  slowSmtpSigterm,
  pauseStorm,
  rollingRestarts,
  throttledCampaignSignIn,
];

const templateUrl = process.env.FAULTS_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_faults';
const only = (process.env.FAULTS_ONLY ?? '').split(',').filter(Boolean);
const unknown = only.filter((name) => !SCENARIOS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}

const cell = (value: number | null) => (value === null ? '—' : String(value));
const format = (row: FaultRow) =>
  `| ${row.fault} | ${row.load} | ${row.lost} | ${row.duplicated} (≤ ${row.allowedDuplicates}) | ${cell(
    row.optOutsViolated,
  )} | ${row.transactionalP99Ms === null ? '—' : `${row.transactionalP99Ms} ms`} | ${
    row.passed ? 'pass' : `FAIL: ${row.failures.join('; ')}`
  } |`;

const rows: FaultRow[] = [];
// Stopped by hand (Ctrl-C, a timeout's SIGTERM): stop the running installation's processes, its
// redis-server and its database copy too, rather than leave them running without their runner.
let running: Awaited<ReturnType<typeof startInstallation>> | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the running installation`);
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}
for (const scenario of SCENARIOS.filter((s) => only.length === 0 || only.includes(s.name))) {
  const started = Date.now();
  console.log(`== ${scenario.name}: ${scenario.fault}`);
  const installation = await startInstallation(templateUrl, scenario);
  running = installation;
  let row: FaultRow;
  try {
    const result = await scenario.run(installation);
    const assessed = await assessInstallation(installation, result);
    row = { name: scenario.name, fault: scenario.fault, load: result.load, ...assessed, seconds: 0 };
  } catch (error) {
    row = {
      name: scenario.name,
      fault: scenario.fault,
      load: '—',
      lost: 0,
      duplicated: 0,
      allowedDuplicates: 0,
      optOutsViolated: null,
      transactionalP99Ms: null,
      statuses: {},
      passed: false,
      failures: [`the scenario did not finish: ${error instanceof Error ? error.message : String(error)}`],
      seconds: 0,
    };
  }
  if (!row.passed) console.error(installation.herald.output().slice(-3000));
  await installation.stop();
  running = null;
  row.seconds = Math.round((Date.now() - started) / 1000);
  rows.push(row);
  console.log(format(row), JSON.stringify(row.statuses));
}

const header = [
  '| fault | load | lost | duplicated | opt-outs violated | transactional p99 | result |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
console.log(['', ...header, ...rows.map(format)].join('\n'));
mkdirSync('test-results', { recursive: true });
writeFileSync(
  'test-results/faults.json',
  `${JSON.stringify({ at: new Date().toISOString(), sizes, scenarios: rows }, null, 2)}\n`,
);
process.exit(rows.every((row) => row.passed) ? 0 : 1);
