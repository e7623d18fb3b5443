import { terminateDatabaseBackends } from '@herald/test-support';
import { runOutage } from '../lib/run-outage.js';
import { sizes } from '../lib/sizes.js';
import { sleep } from '../lib/sleep.js';
import type { Scenario } from '../lib/types.js';

const EVERY_MS = 3000;

/** pg_terminate_backend of every session of the scenario's database every 3 s, for the outage. */
export const postgresTerminate: Scenario = {
  name: 'postgres-terminate',
  fault: 'pg_terminate_backend every 3 s',
  run: (installation) =>
    runOutage(installation, {
      campaignContacts: Math.round(sizes.contacts / 5),
      begin: () => undefined,
      during: async () => {
        await terminateDatabaseBackends(installation.databaseUrl);
        await sleep(EVERY_MS);
      },
      end: () => sleep(1000),
    }),
};
