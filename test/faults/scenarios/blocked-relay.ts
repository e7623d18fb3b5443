import { randomBytes } from 'node:crypto';
import { messageBodies } from '../lib/message-bodies.js';
import { sendBurst } from '../lib/send-burst.js';
import { sizes } from '../lib/sizes.js';
import type { Scenario } from '../lib/types.js';
import { waitUntil } from '../lib/wait-until.js';

/**
 * The relay refuses the sender for everyone (`554 5.7.1` at RCPT): messages fail as blocked, nobody
 * is suppressed, and a sign-in link to one of the same people goes once the relay is fixed.
 */
export const blockedRelay: Scenario = {
  name: 'blocked-relay',
  fault: '554 5.7.1 at RCPT for everyone, then fixed',
  async run(installation) {
    const { herald, db, smtp } = installation;
    const failures: string[] = [];
    installation.answerRcpt({ code: 554, message: '5.7.1 Relay access denied' });
    const count = Math.max(10, Math.round(sizes.burst / 3));
    const { ids, gaveUp } = await sendBurst(installation, count, 50);
    if (gaveUp > 0) failures.push(`${gaveUp} POST(s) never accepted`);
    await waitUntil(
      async () => (await db.message.count({ where: { status: { in: ['queued', 'sending'] } } })) === 0,
      sizes.settleMs,
      500,
    );
    let notBlocked = 0;
    for (const id of ids) {
      const { body } = await herald.client.call('GET', `/v1/messages/${id}`);
      if (body.status !== 'failed' || !String(body.reason ?? '').startsWith('blocked:')) notBlocked++;
    }
    if (notBlocked > 0) failures.push(`${notBlocked} message(s) not failed with a blocked: reason`);
    const suppressions = await db.suppression.count();
    if (suppressions > 0) failures.push(`${suppressions} address(es) suppressed by a refusal of the sender`);

    installation.answerRcpt(null);
    const first = await db.message.findFirst({
      where: { id: ids[0] ?? '' },
      select: { contact: { select: { email: true } } },
    });
    const email = first?.contact.email ?? `fixed-${randomBytes(4).toString('hex')}@example.test`;
    const signIn = await installation.send(messageBodies.signIn(email));
    const settled = signIn ? await herald.client.settled(signIn, sizes.settleMs).catch(() => null) : null;
    if (settled?.status !== 'sent' || smtp.received.get(signIn ?? '') !== 1)
      failures.push(`the sign-in after the fix is ${settled?.status ?? 'not accepted'}, not sent once`);
    return {
      load: `${count} transactional, then 1 sign-in`,
      failures,
      latencyIds: signIn ? [signIn] : [],
    };
  },
};
