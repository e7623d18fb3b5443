import type { ContactView, RemovedSuppressions } from '@herald/contract';
import { data } from '@remix-run/node';
import { callApiAs, readApiAs } from '../api-client.server';
import { formErrors, type FormErrors } from '../form-errors.server';
import type { SignedInAdmin } from '../require-admin.server';
import type { ContactPreferences } from './load-contact-page.server';

export type ContactIntent = 'preferences' | 'unsuppress' | 'erase';

export type ContactActionOutcome =
  | { kind: 'done'; redirectTo: string }
  | { kind: 'invalid'; intent: ContactIntent; errors: FormErrors; values: Record<string, string> };

/**
 * The contact page's three forms, each one API call made as the signed-in person (the API names
 * them in the consent log and the audit log, and checks their role again):
 * - preferences: the boxes as the contact would tick them, with a required reason;
 * - unsuppress: lift the suppressions of the contact's address, with a required reason;
 * - erase: only when the address typed matches the contact's.
 * A refusal re-renders the form that asked with the API's words beside its fields; nothing changed.
 */
export async function submitContactAction(
  admin: SignedInAdmin,
  id: string,
  form: FormData,
): Promise<ContactActionOutcome> {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const intent = text('intent');
  const contact = await readApiAs<ContactView>(admin, `/v1/contacts/${id}`);
  if (contact.erased || !contact.email) throw data(null, { status: 404 });

  if (intent === 'preferences') {
    const reason = text('reason');
    const current = await readApiAs<ContactPreferences>(admin, `/v1/contacts/${id}/preferences`);
    const subscribed = new Set(form.getAll('subscribed').map(String));
    // Required categories cannot be left (their boxes are disabled and never posted).
    const changes = current.categories
      .filter((category) => !category.locked)
      .map((category) => ({ category: category.key, subscribed: subscribed.has(category.key) }));
    const result = await callApiAs(admin, 'PUT', `/v1/contacts/${id}/preferences`, {
      changes,
      allPromotional: form.get('allPromotional') !== null,
      reason,
    });
    if (result.ok) return done(id, 'preferences');
    return {
      kind: 'invalid',
      intent,
      values: { reason },
      errors: formErrors(result.problem, {
        byPath: { reason: 'preferences-reason', changes: 'preferences' },
      }),
    };
  }

  if (intent === 'unsuppress') {
    const why = text('why');
    const result = await callApiAs<RemovedSuppressions>(
      admin,
      'DELETE',
      `/v1/suppressions/${encodeURIComponent(contact.email)}`,
      { reason: why, actor: admin.email },
    );
    if (result.ok) return done(id, 'unsuppressed');
    return {
      kind: 'invalid',
      intent,
      values: { why },
      errors: formErrors(result.problem, {
        byPath: { reason: 'unsuppress-why' },
        byCode: { erasure_not_removable: 'unsuppress-why' },
      }),
    };
  }

  if (intent === 'erase') {
    const confirm = text('confirm');
    if (confirm.toLowerCase() !== contact.email.toLowerCase()) {
      return {
        kind: 'invalid',
        intent,
        values: { confirm },
        errors: {
          fields: { 'erase-confirm': `Type the contact’s address, ${contact.email}, to erase this contact.` },
        },
      };
    }
    const result = await callApiAs(admin, 'DELETE', `/v1/contacts/${id}`);
    if (result.ok)
      return { kind: 'done', redirectTo: `/admin/contacts?${new URLSearchParams({ erased: id })}` };
    return { kind: 'invalid', intent, values: { confirm }, errors: formErrors(result.problem, {}) };
  }

  return {
    kind: 'invalid',
    intent: 'preferences',
    values: {},
    errors: { fields: {}, form: 'Unknown action.' },
  };
}

const done = (id: string, what: string): ContactActionOutcome => ({
  kind: 'done',
  redirectTo: `/admin/contacts/${id}?${new URLSearchParams({ done: what })}`,
});
