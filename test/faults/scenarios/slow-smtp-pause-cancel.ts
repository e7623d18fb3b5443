import { Prisma } from '@herald/db';
import { sizes } from '../lib/sizes.js';
import { sleep } from '../lib/sleep.js';
import { startCampaign } from '../lib/start-campaign.js';
import type { Installation } from '../lib/start-installation.js';
import type { Scenario } from '../lib/types.js';
import { waitUntil } from '../lib/wait-until.js';

const SECONDS_PER_MESSAGE = Number(process.env.FAULTS_SMTP_SECONDS ?? 30);
/**
 * How long a pause or cancel is watched after it answered: two transactions of the relay, since a
 * message handed to a pooled connection waits for the one in SMTP ahead of it, and some slack.
 */
const WATCH_MS = 2 * SECONDS_PER_MESSAGE * 1000 + 2000;

/** Campaign transactions (RCPT TO of a campaign contact, `faults-…`) started after `since`. */
const campaignRcptsAfter = (installation: Installation, since: number) =>
  [...installation.rcptAt]
    .filter(([address]) => address.startsWith('faults-'))
    .reduce((sum, [, times]) => sum + times.filter((at) => at > since).length, 0);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** POSTs pause, resume or cancel: when it answered, after how long, and a failure in an operator's words. */
async function control(installation: Installation, campaignId: string, action: string) {
  const { herald } = installation;
  const askedAt = Date.now();
  const response = await fetch(`${herald.apiUrl}/v1/campaigns/${campaignId}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${herald.apiKey}` },
    signal: AbortSignal.timeout(60_000),
  });
  const answeredAt = Date.now();
  return {
    answeredAt,
    tookMs: answeredAt - askedAt,
    failure: response.status === 200 ? null : `${action} answered ${response.status}`,
  };
}

/**
 * The relay takes N s per message (its reply to DATA held back; FAULTS_SMTP_SECONDS, default 30). A
 * campaign is paused while its messages wait for send slots behind the slow server: no campaign
 * message may start its SMTP transaction after the pause answered. It is resumed, and once it sends
 * again, cancelled: nothing after the cancel's answer either, and every message ends final.
 */
export const slowSmtpPauseCancel: Scenario = {
  name: 'slow-smtp-pause-cancel',
  fault: `SMTP at ${SECONDS_PER_MESSAGE} s per message, campaign paused, resumed, cancelled`,
  async run(installation) {
    const { smtp, db } = installation;
    const failures: string[] = [];
    smtp.delay('data', SECONDS_PER_MESSAGE * 1000);
    const campaign = await startCampaign(installation, sizes.contacts);
    // Every contact has its message before the cancel, so each must end with one (the runner checks).
    const fannedOut = await waitUntil(async () => {
      const [row] = await db.$queryRaw<{ done: boolean }[]>(Prisma.sql`
        SELECT fanout_done_at IS NOT NULL AS done FROM campaigns WHERE id = ${campaign.id}::uuid`);
      return row?.done === true;
    }, sizes.settleMs);
    if (!fannedOut) failures.push('the campaign never finished its fan-out');
    const isCampaign = (to: string[]) => to.some((address) => address.startsWith('faults-'));
    await smtp.waitFor((m) => isCampaign(m.envelope.to), { timeoutMs: sizes.settleMs });

    /** Pause or cancel, then watch: no campaign transaction may start after the answer. */
    const stopCampaign = async (action: 'pause' | 'cancel') => {
      const answer = await control(installation, campaign.id, action);
      if (answer.failure) failures.push(answer.failure);
      await sleep(WATCH_MS);
      const after = campaignRcptsAfter(installation, answer.answeredAt);
      if (after > 0) failures.push(`${after} campaign transaction(s) started after the ${action} answered`);
      return answer;
    };

    // The first campaign message is in SMTP, held; the others wait for a slot.
    const paused = await stopCampaign('pause');

    const receivedBeforeResume = smtp.received.size;
    const resumed = await control(installation, campaign.id, 'resume');
    if (resumed.failure) failures.push(resumed.failure);
    const sendsAgain = await waitUntil(
      () => smtp.received.size > receivedBeforeResume,
      WATCH_MS + sizes.settleMs / 10,
    );
    if (!sendsAgain) failures.push('the resumed campaign sent nothing more');

    const cancelled = await stopCampaign('cancel');
    smtp.delay('data', 0);
    return {
      load: `campaign of ${campaign.contacts}; pause answered in ${seconds(paused.tookMs)}, cancel in ${seconds(
        cancelled.tookMs,
      )}`,
      campaigns: [campaign],
      failures,
    };
  },
};
