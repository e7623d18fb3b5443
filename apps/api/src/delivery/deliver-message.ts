import type { Db } from '@herald/db';
import { decideDelivery, type SigningKey } from '@herald/preferences';
import type { TemplateRenderer } from '@herald/templates';
import type { TemplateWithCategory } from '../templates/template-source.js';
import type { CampaignGate } from '../campaigns/campaign-gate.js';
import type { WorkerLeaseHolder } from '../worker-recovery/worker-lease-holder.js';
import { passCampaignGate } from '../campaigns/pass-campaign-gate.js';
import type { DeliveryStore } from './delivery-store.js';
import type { MailTransport } from './mail-transport.js';
import { renderAndSend } from './render-and-send.js';

export interface DeliveryDeps {
  db: Db;
  store: DeliveryStore;
  renderer: TemplateRenderer;
  transport: Pick<MailTransport, 'sendMail'>;
  keys: SigningKey[];
  sender: { publicWebUrl: string; mailDomain: string; mailFrom: string; postalAddress: string };
  /** Template versions never change, so rows are kept once loaded. */
  templates: Map<string, TemplateWithCategory>;
  campaigns: CampaignGate;
  lease: WorkerLeaseHolder;
  /**
   * At most this many messages are rendered and handed to SMTP at once: enough to keep every pooled
   * connection busy, few enough that a big batch does not sit rendered in memory.
   */
  sendSlots: () => Promise<() => void>;
}

export type DeliveryResult =
  | { outcome: 'skipped' }
  | { outcome: 'sent' | 'suppressed' | 'bounced' | 'failed'; reason?: string }
  | { outcome: 'retry'; reason: string }
  /** Left queued, unsent: its campaign is paused (the scheduler enqueues it again on resume). */
  | { outcome: 'parked'; reason: string };

/**
 * Delivers one queued message: claim it, decide with the contact's state as it is now, render,
 * send, record. Blocked messages become `suppressed` with the reason; nothing is dropped silently.
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
  const { store } = deps;
  const claim = await store.claim(messageId);
  if (!claim) return { outcome: 'skipped' };

  let data = claim.data;
  if (claim.campaignId) {
    const gate = await passCampaignGate(deps.campaigns, claim.campaignId, rateAcquired);
    if (gate.outcome !== 'send') {
      const status = gate.outcome === 'suppressed' ? 'suppressed' : 'queued';
      await store.record({ messageId, status, event: gate.outcome, reason: gate.reason });
      return gate;
    }
    data = { ...gate.data, ...claim.data };
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
  const release = await deps.sendSlots();
  try {
    return await renderAndSend(deps, {
      claim,
      email: state.contact.email,
      name: state.contact.name,
      data,
      isFinalAttempt,
    });
  } finally {
    release();
  }
}
