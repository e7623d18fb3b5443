import { runOutage } from '../lib/run-outage.js';
import { sizes } from '../lib/sizes.js';
import type { Scenario } from '../lib/types.js';

/** The relay refuses connections for the outage (backoff from 500 ms), then listens again on its port. */
export const smtpDown: Scenario = {
  name: 'smtp-refused',
  fault: 'SMTP refusing connections, then back',
  run: (installation) =>
    runOutage(installation, {
      campaignContacts: Math.round(sizes.contacts / 5),
      begin: () => installation.smtp.refuseConnections(),
      end: () => installation.smtp.acceptConnections(),
    }),
};
