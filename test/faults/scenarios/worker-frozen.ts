import { runOutage } from '../lib/run-outage.js';
import { sizes } from '../lib/sizes.js';
import type { Scenario } from '../lib/types.js';

const FROZEN_MS = 15_000;

/** SIGSTOP a worker for 15 s (its 3 s lease lapses, the other takes over), then SIGCONT. */
export const workerFrozen: Scenario = {
  name: 'worker-sigstop',
  fault: 'SIGSTOP a worker 15 s, SIGCONT',
  run: async (installation) => {
    const worker = installation.herald.workers[0];
    if (!worker) throw new Error('no worker');
    const frozenFor = Math.min(FROZEN_MS, sizes.outageMs);
    const result = await runOutage(installation, {
      campaignContacts: Math.round(sizes.contacts / 5),
      begin: () => {
        // What it had in its send slots may be sent after the others took it over.
        installation.markStopped(worker, true);
        worker.child.kill('SIGSTOP');
        setTimeout(() => worker.child.kill('SIGCONT'), frozenFor);
      },
      end: () => undefined,
    });
    // Frozen is not dead: once thawed it must carry on by itself.
    if (worker.exited()) result.failures?.push(`the thawed worker exited: ${worker.output().slice(-400)}`);
    return result;
  },
};
