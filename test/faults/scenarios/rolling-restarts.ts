import { sizes } from '../lib/sizes.js';
import { sleep } from '../lib/sleep.js';
import { startCampaign } from '../lib/start-campaign.js';
import type { Scenario } from '../lib/types.js';

const EVERY_MS = Number(process.env.FAULTS_ROLL_S ?? 30) * 1000;

/** Each worker in turn stopped with SIGTERM and replaced, every 30 s (FAULTS_ROLL_S), during a campaign. */
export const rollingRestarts: Scenario = {
  name: 'rolling-restarts',
  fault: `rolling worker restarts every ${EVERY_MS / 1000} s`,
  async run(installation) {
    const { herald } = installation;
    const campaign = await startCampaign(installation, sizes.contacts, 100);
    let restarts = 0;
    const until = Date.now() + Math.max(sizes.outageMs, EVERY_MS * 2);
    while (Date.now() < until) {
      await sleep(Math.min(EVERY_MS, Math.max(0, until - Date.now())));
      const worker = herald.workers.find((w) => !w.exited());
      if (!worker) break;
      // A graceful stop: what it had in flight is finished or handed back, never sent twice.
      installation.markStopped(worker, false);
      await worker.stop();
      herald.startWorker();
      restarts++;
    }
    return { load: `campaign of ${campaign.contacts} at 100/s, ${restarts} restarts`, campaigns: [campaign] };
  },
};
