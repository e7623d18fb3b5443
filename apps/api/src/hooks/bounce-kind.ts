import { classifyReportStatus } from '../feedback/classify-report-status.js';

export type BounceKind = 'hard-bounce' | 'soft-bounce' | 'blocked';

/**
 * What a bounce a provider (or a caller of POST /v1/feedback) reports is, in the one
 * classification of decision 013 (`classifyReportStatus`, built on the send path's
 * `classifySmtpReply`):
 * - a refusal of the sender (5.7.x, an authentication refusal) is `blocked` whatever the provider
 *   calls it, and never suppresses the address;
 * - otherwise the provider's own verdict decides when it gives one (`hard`: SES Permanent, SendGrid
 *   bounce, Postmark HardBounce, Mailgun permanent; `soft`: transient kinds), since the provider
 *   saw the whole exchange and its retries;
 * - without a verdict, the status and diagnostic decide as they do for a DSN: 5.1.x hard; 4.x.x,
 *   5.2.2, 5.3.x, 5.4.x and other permanent failures soft.
 * Null when there is no verdict and nothing that names a failure.
 */
export function bounceKind(
  verdict: 'hard' | 'soft' | null,
  status: string | null,
  diagnostic: string | null = null,
): BounceKind | null {
  const classified = classifyReportStatus({ status, diagnostic });
  if (classified === 'blocked') return 'blocked';
  if (verdict === 'hard') return 'hard-bounce';
  if (verdict === 'soft') return 'soft-bounce';
  return classified;
}
