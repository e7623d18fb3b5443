import type { RemovedSuppressions, SuppressionView } from '@herald/contract';
import { callApiAs } from '../api-client.server';
import type { SignedInAdmin } from '../require-admin.server';
import { formErrors, type FormErrors } from '../form-errors.server';

export type SuppressionActionOutcome =
  | { kind: 'done'; redirectTo: string }
  | { kind: 'invalid'; intent: 'add' | 'lift'; errors: FormErrors; values: Record<string, string> };

/**
 * The page's two forms, each one API call made in the signed-in person's name (the consent log's
 * actor): add an address to the list, or lift an address's suppressions with a written reason. The
 * API validates both; its refusal is shown beside the form that asked. A success goes back to the
 * list searched for that address, saying what was done.
 */
export async function submitSuppressionAction(
  admin: SignedInAdmin,
  form: FormData,
): Promise<SuppressionActionOutcome> {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const intent = text('intent');
  const actor = admin.email;

  if (intent === 'add') {
    const values = { email: text('email'), reason: text('reason') || 'manual', detail: text('detail') };
    const result = await callApiAs<{ created: boolean; suppression: SuppressionView }>(
      admin,
      'POST',
      '/v1/suppressions',
      {
        email: values.email,
        reason: values.reason,
        ...(values.detail && { detail: values.detail }),
        actor,
      },
    );
    if (result.ok) {
      const email = result.body.suppression.email ?? values.email;
      return done({ q: email, done: result.body.created ? 'added' : 'already', only: values.reason });
    }
    return {
      kind: 'invalid',
      intent,
      values,
      errors: formErrors(result.problem, {
        byPath: { email: 'add-email', reason: 'add-reason', detail: 'add-detail' },
      }),
    };
  }

  if (intent === 'lift') {
    const values = { address: text('address'), only: text('only'), why: text('why') };
    if (!values.address) {
      return {
        kind: 'invalid',
        intent,
        values,
        errors: { fields: { 'lift-address': 'Enter the address to lift.' } },
      };
    }
    const result = await callApiAs<RemovedSuppressions>(
      admin,
      'DELETE',
      `/v1/suppressions/${encodeURIComponent(values.address)}`,
      { reason: values.why, ...(values.only && { only: values.only }), actor },
    );
    if (result.ok)
      return done({ q: result.body.email, done: 'removed', removed: result.body.removed.join(',') });
    return {
      kind: 'invalid',
      intent,
      values,
      errors: formErrors(result.problem, {
        byPath: { address: 'lift-address', only: 'lift-only', reason: 'lift-why' },
        byCode: { not_suppressed: 'lift-address', erasure_not_removable: 'lift-only' },
      }),
    };
  }

  return { kind: 'invalid', intent: 'add', values: {}, errors: { fields: {}, form: 'Unknown action.' } };
}

const done = (params: Record<string, string>): SuppressionActionOutcome => ({
  kind: 'done',
  redirectTo: `/admin/suppressions?${new URLSearchParams(params)}`,
});
