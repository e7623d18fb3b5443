import { randomBytes } from 'node:crypto';
import { messageBodies } from '../lib/message-bodies.js';
import { sizes } from '../lib/sizes.js';
import type { Scenario } from '../lib/types.js';

const PEOPLE = 5;
const NEWSLETTERS_EACH = 4;
const SECONDS_PER_MESSAGE = Number(process.env.FAULTS_SMTP_SECONDS ?? 30);

/**
 * The relay takes N s per message (its reply to DATA held back). Each person gets newsletters; as the
 * first arrives, they click its one-click List-Unsubscribe link: no newsletter to them may start its
 * SMTP transaction after the 200.
 */
export const slowSmtpOptOut: Scenario = {
  name: 'slow-smtp-opt-out',
  fault: `SMTP at ${SECONDS_PER_MESSAGE} s per message, one-click racing`,
  setup: { web: true },
  async run(installation) {
    const { smtp } = installation;
    const failures: string[] = [];
    smtp.delay('data', SECONDS_PER_MESSAGE * 1000);
    const tag = randomBytes(4).toString('hex');
    const emails = Array.from({ length: PEOPLE }, (_, i) => `slow-${tag}-${i}@example.test`);
    // Subscribers the company added: a contact created by a send would take no marketing consent.
    for (const email of emails) {
      const created = await installation.herald.client.call('POST', '/v1/contacts', { email });
      if (created.status >= 300) failures.push(`contact ${email} not created: ${created.status}`);
    }
    for (let round = 0; round < NEWSLETTERS_EACH; round++)
      for (const email of emails) await installation.send(messageBodies.newsletter(email));
    await Promise.all(
      emails.map(async (email) => {
        const first = await smtp.waitFor((m) => m.envelope.to.includes(email), { timeoutMs: sizes.settleMs });
        const link = /<(https?:[^>]+)>/.exec(first.header('list-unsubscribe') ?? '')?.[1];
        if (!link) {
          failures.push(`no one-click link in the newsletter to ${email}`);
          return;
        }
        const response = await fetch(link, {
          method: 'POST',
          body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
          signal: AbortSignal.timeout(30_000),
        });
        if (response.status !== 200) failures.push(`one-click answered ${response.status}`);
        else installation.optOuts.push({ email, answeredAt: Date.now() });
      }),
    );
    return { load: `${PEOPLE} people × ${NEWSLETTERS_EACH} newsletters`, failures };
  },
};
