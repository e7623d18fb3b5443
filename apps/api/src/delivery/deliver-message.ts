import { decideDelivery } from '@herald/preferences';
import { countDeliveries } from '../metrics/count-deliveries.js';
import { logDeliveryOutcome } from '../logging/log-delivery-outcome.js';
import type { CampaignUtm } from '../campaigns/campaign-gate.js';
import { passCampaignGate } from '../campaigns/pass-campaign-gate.js';
import { requeueIfResumed } from '../campaigns/requeue-if-resumed.js';
import type { DeliveryDeps, DeliveryResult } from './delivery-deps.js';
import type { DeliveryStore } from './delivery-store.js';
import { renderAndSend } from './render-and-send.js';
import { selectLane } from './select-lane.js';

/**
 * Delivers one queued message: claim it, decide with the contact's state as it is now, wait for a
 * send slot, decide again (startSending, which opt-outs, pauses and cancels wait for), render, send,
 * record. Blocked messages become `suppressed` with the reason; nothing is dropped silently.
 */
export async function deliverMessage(
  deps: DeliveryDeps,
  {
    messageId,
    isFinalAttempt,
    rateAcquired = false,
  }: {
    messageId: string;
    isFinalAttempt: boolean;
    /** The caller already took this message's share of its campaign's rate (a campaign batch). */
    rateAcquired?: boolean;
  },
): Promise<DeliveryResult> {
  const claim = await deps.store.claim(messageId);
  if (!claim) return { outcome: 'skipped' };
  const smtp = { repliedAt: null as number | null };
  const result = await deliverClaimed(deps, claim, { isFinalAttempt, rateAcquired }, smtp);
  logDeliveryOutcome(claim, result, smtp.repliedAt);
  return result;
}

type Claimed = NonNullable<Awaited<ReturnType<DeliveryStore['claim']>>>;

async function deliverClaimed(
  deps: DeliveryDeps,
  claim: Claimed,
  { isFinalAttempt, rateAcquired }: { isFinalAttempt: boolean; rateAcquired: boolean },
  smtp: { repliedAt: number | null },
): Promise<DeliveryResult> {
  const { store } = deps;
  const { messageId } = claim;
  // Its class picks the relay, sender, key and send slots it goes with (select-lane.ts).
  deps = countDeliveries(selectLane(deps, claim.class), claim);

  let data = claim.data;
  let utm: CampaignUtm | null = null;
  if (claim.campaignId) {
    const gate = await passCampaignGate(deps.campaigns, claim.campaignId, rateAcquired);
    if (gate.outcome !== 'send') {
      const status = gate.outcome === 'suppressed' ? 'suppressed' : 'queued';
      await store.record({ messageId, status, event: gate.outcome, reason: gate.reason });
      if (gate.outcome === 'parked') await requeueIfResumed(deps.db, claim.campaignId);
      return gate;
    }
    data = { ...gate.data, ...claim.data };
    utm = gate.utm;
  }

  const { state } = claim;
  const decision = state
    ? decideDelivery(state.decisionInput)
    : ({ allowed: false, reason: 'no-address' } as const);
  if (!decision.allowed || !state?.contact.email) {
    const reason = decision.allowed ? 'no-address' : decision.reason;
    await store.record({ messageId, status: 'suppressed', event: 'suppressed', reason });
    return { outcome: 'suppressed', reason };
  }
  // A promotional message to a throttled domain waits here for the domain's turn, before its slot.
  const release = await deps.sendSlots(state.contact.email);
  if (!release) {
    // The worker is shutting down and this message never started: it goes back to the queue at once.
    // A campaign's is enqueued again by whichever worker's scheduler next claims the campaign (the
    // stopping worker clears the epochs); a single send's job is held for another worker without
    // using an attempt (delivery.processor.ts), since nothing was tried.
    const reason = 'worker shutting down';
    await store.record({ messageId, status: 'queued', event: 'deferred', reason });
    return claim.campaignId ? { outcome: 'parked', reason } : { outcome: 'held', reason };
  }
  try {
    // The wait for a slot can take seconds under slow SMTP: decide again, as late as SMTP allows.
    // Under the lease the claim was made with: a claim held from before the worker lost its lease (it
    // stalled, and another worker may have taken the message over) must not start.
    const start = await store.startSending(claim);
    if (start.outcome === 'lost') return { outcome: 'skipped' };
    if (start.outcome === 'parked') {
      await store.record({ messageId, status: 'queued', event: 'parked', reason: start.reason });
      if (claim.campaignId) await requeueIfResumed(deps.db, claim.campaignId);
      return start;
    }
    if (start.outcome === 'blocked') {
      await store.record({ messageId, status: 'suppressed', event: 'suppressed', reason: start.reason });
      return { outcome: 'suppressed', reason: start.reason };
    }
    return await renderAndSend(deps, {
      claim,
      email: start.email,
      name: start.state.contact.name,
      locale: start.state.contact.locale,
      tokenEpoch: start.state.contact.tokenEpoch,
      data,
      isFinalAttempt,
      // Read with the consent just now: a "don't track my clicks" made meanwhile gives plain links.
      tracking: start.state.category.trackClicks && !start.state.contact.clickTrackingOff ? { utm } : null,
      // The slot is the SMTP connection: free it for the next message before the outcome is recorded.
      onSmtpDone: () => {
        smtp.repliedAt = Date.now();
        release();
      },
    });
  } finally {
    release();
  }
}
