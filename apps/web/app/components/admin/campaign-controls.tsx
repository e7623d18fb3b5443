import { Form } from '@remix-run/react';
import type { CampaignStatus } from '@herald/contract';
import { CsrfField } from './csrf-field';

/** Pause, resume and cancel, offered only where the API allows them; each is a plain form. */
export function CampaignControls({ status }: { status: CampaignStatus }) {
  const canPause = status === 'scheduled' || status === 'sending';
  const canResume = status === 'paused';
  const canCancel = canPause || canResume || status === 'draft';
  if (!canPause && !canResume && !canCancel) return null;
  return (
    <Form method="post" className="actions panel" aria-label="Campaign controls">
      <CsrfField />
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
