import type { NodeProcess } from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { messageBodies } from '../lib/message-bodies.js';
import { sizes } from '../lib/sizes.js';
import { startCampaign } from '../lib/start-campaign.js';
import type { Scenario } from '../lib/types.js';

const SECONDS_PER_MESSAGE = Number(process.env.FAULTS_SMTP_SECONDS ?? 30);
const SHUTDOWN_MS = 10_000;
/** The exit may take the deadline and this much more (the lease given up, the epochs cleared). */
const EXIT_MARGIN_MS = 5_000;
const SIGN_INS = 10;

/** SIGTERM, then the exit or null when the process is still running after `boundMs` (it is then killed). */
async function terminate(worker: NodeProcess, boundMs: number): Promise<number | null> {
  const askedAt = Date.now();
  const exited = new Promise<number>((resolve) =>
    worker.child.once('exit', () => resolve(Date.now() - askedAt)),
  );
  worker.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const tookMs = await Promise.race([
    exited,
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), boundMs))),
  ]);
  clearTimeout(timer);
  if (tookMs === null) await worker.kill();
  return tookMs;
}

/**
 * The relay takes N s per message (its reply to DATA held back; FAULTS_SMTP_SECONDS, default 30)
 * while a campaign and sign-in links are sent. Once messages of both streams are in SMTP, a worker
 * gets SIGTERM: it must exit within WORKER_SHUTDOWN_MS and a margin, a supervisor starts another,
 * the relay recovers, and everything is delivered: nothing lost, duplicates only from the stopped
 * worker's send slots (those it gave up on at its deadline, whose DATA the server had).
 */
export const slowSmtpSigterm: Scenario = {
  name: 'slow-smtp-sigterm',
  fault: `SIGTERM a worker under SMTP at ${SECONDS_PER_MESSAGE} s per message`,
  setup: { env: { WORKER_SHUTDOWN_MS: String(SHUTDOWN_MS) } },
  async run(installation) {
    const { smtp, herald } = installation;
    const failures: string[] = [];
    smtp.delay('data', SECONDS_PER_MESSAGE * 1000);
    const campaign = await startCampaign(installation, sizes.contacts);
    const tag = randomBytes(4).toString('hex');
    const signIns = await Promise.all(
      Array.from({ length: SIGN_INS }, (_, i) =>
        installation.send(messageBodies.signIn(`sign-in-${tag}-${i}@example.test`), i),
      ),
    );
    const ids = signIns.filter((id): id is string => id !== null);
    if (ids.length < SIGN_INS) failures.push(`${SIGN_INS - ids.length} sign-in POST(s) never accepted`);
    const inSmtp = (prefix: string) =>
      smtp.waitFor((m) => m.envelope.to.some((to) => to.startsWith(prefix)), { timeoutMs: sizes.settleMs });
    await Promise.all([inSmtp('faults-'), inSmtp('sign-in-')]);

    const worker = herald.workers.find((w) => !w.exited());
    if (!worker) throw new Error('no worker running');
    // Past its deadline it gives up on what is in SMTP: those may be sent again by the others.
    installation.markStopped(worker, true);
    const tookMs = await terminate(worker, SHUTDOWN_MS + EXIT_MARGIN_MS);
    if (tookMs === null)
      failures.push(`the worker was still running ${(SHUTDOWN_MS + EXIT_MARGIN_MS) / 1000} s after SIGTERM`);
    herald.startWorker();
    smtp.delay('data', 0);
    return {
      load: `campaign of ${campaign.contacts} + ${ids.length} sign-ins; exit ${
        tookMs === null ? 'never' : `after ${(tookMs / 1000).toFixed(1)} s`
      }`,
      campaigns: [campaign],
      latencyIds: ids,
      failures,
    };
  },
};
