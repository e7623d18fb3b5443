import { sizes } from '../lib/sizes.js';
import { startCampaign } from '../lib/start-campaign.js';
import type { Scenario } from '../lib/types.js';
import { waitUntil } from '../lib/wait-until.js';

const KILLS = 5;

/** SIGKILL a worker mid-send five times in a row during a campaign; a supervisor starts another each time. */
export const workerKill: Scenario = {
  name: 'worker-kill',
  fault: 'SIGKILL a worker mid-send, 5 times',
  async run(installation) {
    const campaign = await startCampaign(installation, sizes.contacts);
    const failures: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const target = Math.round(((kill + 1) * sizes.contacts) / (KILLS + 2));
      const reached = await waitUntil(() => installation.smtp.received.size >= target, sizes.settleMs, 20);
      if (!reached) failures.push(`the campaign stalled before ${target} receipts (kill ${kill + 1})`);
      // The newest workers are the ones running: kill the first live one.
      const index = installation.herald.workers.findIndex((w) => !w.exited());
      await installation.killWorker(index);
    }
    return { load: `campaign of ${sizes.contacts}, 2 workers`, campaigns: [campaign], failures };
  },
};
