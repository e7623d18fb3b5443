import { runOutage } from '../lib/run-outage.js';
import type { Scenario } from '../lib/types.js';

/** Every Herald connection to PostgreSQL is reset and new ones refused for the outage (a TCP proxy). */
export const postgresCut: Scenario = {
  name: 'postgres-cut',
  fault: 'PostgreSQL cut (proxy)',
  setup: { throughProxy: true },
  run: (installation) =>
    runOutage(installation, {
      begin: () => {
        installation.proxy?.refuse();
        installation.proxy?.cut();
      },
      end: () => installation.proxy?.accept(),
    }),
};
