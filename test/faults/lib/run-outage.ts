import { sendBurst } from './send-burst.js';
import { sizes } from './sizes.js';
import { sleep } from './sleep.js';
import { startCampaign } from './start-campaign.js';
import type { Installation } from './start-installation.js';
import type { ScenarioResult } from './types.js';

/**
 * The common shape of an outage: a campaign (when `campaignContacts`) and a burst of transactional
 * messages spread over the outage and a little either side; `begin` two seconds in, `end` after
 * FAULTS_OUTAGE_S. `during` runs repeatedly while the outage lasts (a fault that recurs).
 */
export async function runOutage(
  installation: Installation,
  {
    campaignContacts = 0,
    begin,
    end,
    during,
  }: {
    campaignContacts?: number;
    begin: () => Promise<void> | void;
    end: () => Promise<void> | void;
    during?: () => Promise<void>;
  },
): Promise<ScenarioResult> {
  const campaign = campaignContacts > 0 ? await startCampaign(installation, campaignContacts) : null;
  const perSecond = sizes.burst / (sizes.outageMs / 1000 + 8);
  const burst = sendBurst(installation, sizes.burst, perSecond);
  await sleep(2000);
  await begin();
  const until = Date.now() + sizes.outageMs;
  while (Date.now() < until) {
    if (during) await during();
    else await sleep(Math.min(1000, until - Date.now()));
  }
  await end();
  const { ids, gaveUp } = await burst;
  return {
    load: `${sizes.burst} transactional${campaign ? ` + campaign of ${campaign.contacts}` : ''}`,
    campaigns: campaign ? [campaign] : [],
    latencyIds: ids,
    failures: gaveUp > 0 ? [`${gaveUp} POST(s) never accepted, even after the outage`] : [],
  };
}
