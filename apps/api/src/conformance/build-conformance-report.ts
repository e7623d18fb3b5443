import type { ConformanceReport } from '@herald/contract';
import type { Db } from '@herald/db';
import { campaignConformance, type CampaignLimits } from './campaign-conformance.js';
import { optOutConformance } from './opt-out-conformance.js';
import { policyConformance } from './policy-conformance.js';
import { requiredMailConformance } from './required-mail-conformance.js';

/** The complaint rate mailbox providers hold bulk senders to (Gmail's and Yahoo's 0.3%). */
const MAILBOX_PROVIDER_COMPLAINT_RATE = 0.003;

/**
 * What Herald can show of the privacy policy's promises for a period, from the database alone:
 * opt-outs and what started after them, required mail not sent and why, every campaign against the
 * complaint and bounce limits, every policy version's notice and coverage.
 */
export async function buildConformanceReport(
  db: Db,
  {
    from,
    to,
    limits,
    atRiskDays,
    now = new Date(),
  }: { from: Date; to: Date; limits: CampaignLimits; atRiskDays: number; now?: Date },
): Promise<ConformanceReport> {
  const [optOuts, requiredMail, campaigns, policies] = await Promise.all([
    optOutConformance(db, from, to),
    requiredMailConformance(db, from, to),
    campaignConformance(db, from, to, limits),
    policyConformance(db, from, to, atRiskDays),
  ]);
  return {
    period: { from: from.toISOString(), to: to.toISOString() },
    generatedAt: now.toISOString(),
    optOuts,
    requiredMail,
    campaigns,
    limits: { ...limits, mailboxProviderComplaintRate: MAILBOX_PROVIDER_COMPLAINT_RATE },
    policies,
  };
}
