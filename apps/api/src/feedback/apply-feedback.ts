import type { CommonEnv } from '@herald/config';
import type { Db } from '@herald/db';
import { recordFeedback, type FeedbackInput, type FeedbackResult } from '@herald/preferences';
import { enforceCampaignGuardrails } from '../campaigns/campaign-guardrails.js';
import { countFeedback } from '../metrics/count-consent-writes.js';

type FeedbackEnv = Pick<
  CommonEnv,
  | 'HERALD_SOFT_BOUNCE_LIMIT'
  | 'HERALD_GUARDRAIL_MIN_SENT'
  | 'HERALD_CAMPAIGN_MAX_COMPLAINT_RATE'
  | 'HERALD_CAMPAIGN_MAX_BOUNCE_RATE'
  | 'HERALD_GUARDRAIL_BLOCKED_LIMIT'
>;

/**
 * The one way a bounce, complaint or delivery report reaches Herald's state, whichever channel
 * brought it (the inbound SMTP listener, a provider webhook, POST /v1/feedback): the consent domain
 * records it and applies its effects in one transaction, then the campaigns it concerns are held
 * to their complaint and bounce guardrails.
 */
export async function applyFeedback(
  db: Db,
  env: FeedbackEnv,
  inputs: FeedbackInput[],
): Promise<FeedbackResult[]> {
  const results = await recordFeedback(db, inputs, { softBounceLimit: env.HERALD_SOFT_BOUNCE_LIMIT });
  countFeedback(inputs, results);
  const campaignIds = [
    ...new Set(
      results.flatMap((result) =>
        result.campaignId && result.effect !== 'duplicate' && result.matched ? [result.campaignId] : [],
      ),
    ),
  ];
  // guardrails: the campaigns in campaignIds are checked against their complaint and bounce rates here.
  await enforceCampaignGuardrails(db, env, campaignIds);
  return results;
}
