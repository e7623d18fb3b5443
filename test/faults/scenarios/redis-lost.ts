import { runOutage } from '../lib/run-outage.js';
import { sizes } from '../lib/sizes.js';
import type { Scenario } from '../lib/types.js';

/** The private redis-server stops for the outage and comes back empty, during a burst and a campaign. */
export const redisLost: Scenario = {
  name: 'redis-restart-empty',
  fault: 'Redis stopped, restarted empty',
  run: (installation) =>
    runOutage(installation, {
      campaignContacts: Math.round(sizes.contacts / 5),
      begin: () => installation.redis.stop(),
      end: () => installation.redis.start(),
    }),
};
