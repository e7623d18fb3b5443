import { callApiAs, type ConsoleCaller } from '../api-client.server';
import type { AudienceSize, CampaignView as Campaign } from '@herald/contract';
import { formErrors, type FormErrors } from '../form-errors.server';
import {
  CAMPAIGN_FIELDS,
  readCampaignForm,
  toCampaignRequest,
  type CampaignFormValues,
} from './campaign-form.server';

export type NewCampaignOutcome =
  | { kind: 'audience'; values: CampaignFormValues; audience: AudienceSize }
  | { kind: 'invalid'; values: CampaignFormValues; errors: FormErrors }
  | { kind: 'created'; id: string };

/**
 * The form's two buttons. "Check audience size" asks the API how many contacts the audience
 * reaches now (nothing is stored); "Create draft" stores the campaign unscheduled, so it can be
 * previewed and test-sent with its pinned template version before it is scheduled.
 */
export async function submitNewCampaign(caller: ConsoleCaller, form: FormData): Promise<NewCampaignOutcome> {
  const values = readCampaignForm(form);
  const parsed = toCampaignRequest(values);
  if (!parsed.ok) return { kind: 'invalid', values, errors: parsed.errors };
  const { request } = parsed;

  if (form.get('intent') === 'check-audience') {
    const result = await callApiAs<AudienceSize>(caller, 'POST', '/v1/campaigns/audience-preview', {
      template: request.template,
      audience: request.audience,
    });
    return result.ok
      ? { kind: 'audience', values, audience: result.body }
      : { kind: 'invalid', values, errors: formErrors(result.problem, CAMPAIGN_FIELDS) };
  }

  const result = await callApiAs<Campaign>(caller, 'POST', '/v1/campaigns', request);
  return result.ok
    ? { kind: 'created', id: result.body.id }
    : { kind: 'invalid', values, errors: formErrors(result.problem, CAMPAIGN_FIELDS) };
}
