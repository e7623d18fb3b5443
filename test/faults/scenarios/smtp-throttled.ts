import { runOutage } from '../lib/run-outage.js';
import { sizes } from '../lib/sizes.js';
import type { Scenario } from '../lib/types.js';

/** The relay answers 421 at RCPT to everything for the outage, then accepts again. */
export const smtpThrottled: Scenario = {
  name: 'smtp-421',
  fault: '421 at RCPT for everyone, then OK',
  run: (installation) =>
    runOutage(installation, {
      campaignContacts: Math.round(sizes.contacts / 5),
      begin: () => installation.answerRcpt({ code: 421, message: '4.7.0 Try again later' }),
      end: () => installation.answerRcpt(null),
    }),
};
