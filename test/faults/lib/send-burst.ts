import { randomBytes } from 'node:crypto';
import { messageBodies } from './message-bodies.js';
import { sleep } from './sleep.js';
import type { Installation } from './start-installation.js';

/**
 * `count` transactional messages (sign-in links and service notices, alternating APIs), `perSecond`
 * of them a second, each POSTed until accepted. Resolves with the accepted ids and how many callers gave up.
 */
export async function sendBurst(
  installation: Installation,
  count: number,
  perSecond: number,
): Promise<{ ids: string[]; gaveUp: number }> {
  const tag = randomBytes(4).toString('hex');
  const pending: Promise<string | null>[] = [];
  for (let i = 0; i < count; i++) {
    const email = `burst-${tag}-${i}@example.test`;
    const body = i % 2 ? messageBodies.notice(email) : messageBodies.signIn(email);
    pending.push(installation.send(body, i));
    await sleep(1000 / perSecond);
  }
  const answers = await Promise.all(pending);
  const ids = answers.filter((id): id is string => id !== null);
  return { ids, gaveUp: answers.length - ids.length };
}
