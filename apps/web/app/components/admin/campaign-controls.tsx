import { Form } from '@remix-run/react';
import type { CampaignPausedReason, CampaignStatus } from '@herald/contract';
import { CsrfField } from './csrf-field';

/**
 * Pause, resume and cancel, offered only where the API allows them; each is a plain form. Resuming
 * a campaign that paused itself (a guardrail) takes a ticked confirmation as well, checked again on
 * the server (submit-campaign-action.server.ts), so it works without JavaScript.
 */
export function CampaignControls({
  status,
  pausedReason = null,
}: {
  status: CampaignStatus;
  pausedReason?: CampaignPausedReason | null;
}) {
  const canPause = status === 'scheduled' || status === 'sending';
  const canResume = status === 'paused';
  const canCancel = canPause || canResume || status === 'draft';
  const confirmResume = canResume && pausedReason !== null;
  if (!canPause && !canResume && !canCancel) return null;
  return (
    <Form method="post" className="actions panel" aria-label="Campaign controls">
      <CsrfField />
      {confirmResume && (
        <div className="choice">
          <input type="checkbox" id="confirm-resume" name="confirmResume" value="yes" />
          <label htmlFor="confirm-resume">I have looked into why it paused itself: resume it anyway</label>
        </div>
      )}
      {canPause && (
        <button type="submit" name="intent" value="pause">
          Pause
        </button>
      )}
      {canResume && (
        <button type="submit" name="intent" value="resume">
          Resume
        </button>
      )}
      {canCancel && (
        <button type="submit" name="intent" value="cancel" className="secondary">
          Cancel campaign
        </button>
      )}
      {canCancel && <span className="muted">Cancelling is final: nothing more is sent.</span>}
    </Form>
  );
}
