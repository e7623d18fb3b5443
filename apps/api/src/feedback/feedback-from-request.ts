import type { ReportFeedbackInput } from '@herald/contract';
import type { FeedbackInput } from '@herald/preferences';
import { bounceKind } from '../hooks/bounce-kind.js';

/**
 * POST /v1/feedback's body as the one feedback input every channel produces (channel `api`): a
 * complaint is a complaint; a bounce is classified as providers' are (`bounceKind`: the caller's
 * hard/soft, else the status or the diagnostic in `detail`, a refusal of the sender never
 * suppressing), and a bounce that names no failure is hard, as "bounce" alone means in the
 * providers' vocabulary.
 */
export function feedbackFromRequest(body: ReportFeedbackInput): FeedbackInput {
  const status = body.status ?? null;
  const kind =
    body.type === 'complaint'
      ? 'complaint'
      : (bounceKind(body.bounce ?? null, status, body.detail ?? null) ?? 'hard-bounce');
  return {
    channel: 'api',
    kind,
    messageId: body.messageId ?? null,
    email: body.email ?? null,
    status,
    detail: body.detail ?? null,
    providerEventId: null,
  };
}
