import { sizes } from '../lib/sizes.js';
import { sleep } from '../lib/sleep.js';
import { startCampaign } from '../lib/start-campaign.js';
import type { Scenario } from '../lib/types.js';

/** Pause and resume a campaign every 300–700 ms through both APIs for the outage, then leave it running. */
export const pauseStorm: Scenario = {
  name: 'pause-storm',
  fault: 'pause/resume storm',
  async run(installation) {
    const campaign = await startCampaign(installation, Math.round(sizes.contacts / 2), 200);
    const { herald } = installation;
    const failures: string[] = [];
    const until = Date.now() + sizes.outageMs;
    let changes = 0;
    while (Date.now() < until) {
      for (const action of ['pause', 'resume']) {
        const url = herald.apiUrls[changes++ % herald.apiUrls.length] ?? herald.apiUrl;
        const response = await fetch(`${url}/v1/campaigns/${campaign.id}/${action}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${herald.apiKey}` },
          signal: AbortSignal.timeout(5_000),
        });
        // A campaign that already finished refuses both: the storm is over.
        if (response.status >= 500) failures.push(`${action} answered ${response.status}`);
        await sleep(300 + Math.random() * 400);
      }
    }
    await herald.client.call('POST', `/v1/campaigns/${campaign.id}/resume`);
    return {
      load: `campaign of ${campaign.contacts} at 200/s, ${changes} changes`,
      campaigns: [campaign],
      failures,
    };
  },
};
