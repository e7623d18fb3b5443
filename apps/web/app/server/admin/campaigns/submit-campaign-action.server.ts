import type { CampaignView } from '@herald/contract';
import { describeGuardrailPause } from '~/components/admin/guardrail-notice';
import { callApiAs, readApiAs, type ConsoleCaller } from '../api-client.server';
import { formErrors, type FormErrors } from '../form-errors.server';

export type CampaignActionOutcome =
  | { kind: 'changed' }
  | { kind: 'test-sent'; email: string; messageId: string }
  | { kind: 'invalid'; intent: string; errors: FormErrors; values: Record<string, string> };

const STATUS_CHANGES = ['pause', 'resume', 'cancel'] as const;

/**
 * The campaign page's forms, each one API call: a test send to one address, scheduling a draft
 * (now, or at a wall-clock time in a zone), pause, resume and cancel. The API decides which
 * transitions are allowed; its refusal is shown beside the form that asked. A campaign that paused
 * itself (a guardrail) is resumed only with its confirmation ticked: the console reads the campaign
 * as it is now, so a form shown before the guardrail paused it cannot resume it unconfirmed.
 */
export async function submitCampaignAction(
  caller: ConsoleCaller,
  id: string,
  form: FormData,
): Promise<CampaignActionOutcome> {
  const intent = String(form.get('intent') ?? '');
  const path = `/v1/campaigns/${encodeURIComponent(id)}`;

  if (intent === 'test-send') {
    const email = String(form.get('testEmail') ?? '').trim();
    const result = await callApiAs<{ id: string }>(caller, 'POST', `${path}/test-send`, { email });
    if (result.ok) return { kind: 'test-sent', email, messageId: result.body.id };
    return invalid(intent, formErrors(result.problem, { byPath: { email: 'testEmail' } }), {
      testEmail: email,
    });
  }

  if (intent === 'schedule') {
    const values = {
      when: String(form.get('when') ?? 'now'),
      sendAt: String(form.get('sendAt') ?? ''),
      timezone: String(form.get('timezone') ?? 'UTC'),
      localTime: form.get('localTime') === 'on' ? 'on' : '',
    };
    if (values.when === 'later' && !values.sendAt) {
      return invalid(intent, { fields: { sendAt: 'Choose the date and time to send at.' } }, values);
    }
    const result = await callApiAs(caller, 'POST', `${path}/schedule`, {
      sendAt: values.when === 'later' ? values.sendAt : new Date().toISOString(),
      timezone: values.timezone,
      localTime: values.localTime === 'on',
    });
    if (result.ok) return { kind: 'changed' };
    const errors = formErrors(result.problem, {
      byPath: { sendAt: 'sendAt', timezone: 'timezone' },
      byCode: { send_at_in_past: 'sendAt', send_at_required: 'sendAt' },
    });
    return invalid(intent, errors, values);
  }

  const change = STATUS_CHANGES.find((action) => action === intent);
  if (!change) return invalid(intent, { fields: {}, form: 'Unknown action.' }, {});
  if (change === 'resume' && form.get('confirmResume') !== 'yes') {
    const campaign = await readApiAs<CampaignView>(caller, path);
    if (campaign.status === 'paused' && campaign.pausedReason) {
      const why = describeGuardrailPause(campaign.pausedReason, campaign.guardrails);
      return invalid(
        intent,
        {
          fields: {},
          form: `This campaign paused itself: ${why}. Tick “I have looked into why it paused itself” to resume it.`,
        },
        {},
      );
    }
  }
  const result = await callApiAs(caller, 'POST', `${path}/${change}`, {});
  return result.ok ? { kind: 'changed' } : invalid(intent, formErrors(result.problem, {}), {});
}

const invalid = (
  intent: string,
  errors: FormErrors,
  values: Record<string, string>,
): CampaignActionOutcome => ({
  kind: 'invalid',
  intent,
  errors,
  values,
});
