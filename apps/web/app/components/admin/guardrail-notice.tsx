import type { CampaignGuardrailsView, CampaignPausedReason } from '@herald/contract';
import { formatCount, formatPercent } from './format';

/**
 * Why a campaign paused itself, in the words the API's figures give: "Paused automatically:
 * complaint rate 0.6% above 0.3% after 1,200 sent." The rates are the current ones (reports keep
 * arriving after the pause), over the messages that left (sent or bounced).
 */
export function describeGuardrailPause(reason: CampaignPausedReason, g: CampaignGuardrailsView): string {
  const after = `after ${formatCount(g.sent)} sent`;
  if (reason === 'complaint-rate')
    return `complaint rate ${formatPercent(g.complaintRate)} above ${formatPercent(
      g.limits.maxComplaintRate,
    )} ${after}`;
  if (reason === 'bounce-rate')
    return `hard-bounce rate ${formatPercent(g.bounceRate)} above ${formatPercent(
      g.limits.maxBounceRate,
    )} ${after}`;
  return `the relay refused the sender (5.7.x) for ${formatCount(g.limits.blockedLimit)} messages in a row`;
}

/** What the confirmation before a resume warns of, for each guardrail. */
const AFTER_RESUME: Record<CampaignPausedReason, string> = {
  'complaint-rate':
    'Resuming sends the rest of the audience. Complaints hurt the sending domain for all mail; it pauses itself again if a new complaint finds the rate still above the limit.',
  'bounce-rate':
    'Resuming sends the rest of the audience. Bounces hurt the sending domain for all mail; it pauses itself again if a new bounce finds the rate still above the limit.',
  blocked:
    'Resume once the relay accepts the sender again (check its logs or the provider’s console); otherwise the next refusals in a row pause it again.',
};

/** The banner of a campaign a guardrail paused: the reason with its figures, and what a resume does. */
export function GuardrailNotice({
  reason,
  guardrails,
}: {
  reason: CampaignPausedReason;
  guardrails: CampaignGuardrailsView;
}) {
  return (
    <div className="notice error" role="status" data-testid="guardrail-notice">
      <p>
        <strong>Paused automatically:</strong> {describeGuardrailPause(reason, guardrails)}.
      </p>
      <p>{AFTER_RESUME[reason]}</p>
    </div>
  );
}
