import { callApiAs, type ConsoleCaller } from '../api-client.server';
import { formErrors, type FormErrors } from '../form-errors.server';

export type PolicyActionOutcome =
  | { kind: 'announced' }
  | { kind: 'invalid'; errors: FormErrors; values: { rate: string; overrideReason: string } };

/**
 * Announces a version: the API notifies every contact (email where there is an address, an in-app
 * notice for all) and checks the notice period again, since days may have passed since publishing.
 */
export async function submitPolicyAction(
  caller: ConsoleCaller,
  id: string,
  form: FormData,
): Promise<PolicyActionOutcome> {
  const values = {
    rate: String(form.get('rate') ?? '').trim(),
    overrideReason: String(form.get('overrideReason') ?? '').trim(),
  };
  if (values.rate && !/^\d+$/.test(values.rate)) {
    return {
      kind: 'invalid',
      values,
      errors: { fields: { rate: 'The rate is a whole number of emails per second.' } },
    };
  }
  const result = await callApiAs(caller, 'POST', `/v1/policies/${encodeURIComponent(id)}/announce`, {
    ...(values.rate && { ratePerSecond: Number(values.rate) }),
    ...(values.overrideReason && { override: { reason: values.overrideReason } }),
  });
  if (result.ok) return { kind: 'announced' };
  const errors = formErrors(result.problem, {
    byPath: { ratePerSecond: 'rate', 'override.reason': 'overrideReason' },
    byCode: { effective_date_too_soon: 'overrideReason' },
  });
  return { kind: 'invalid', values, errors };
}
