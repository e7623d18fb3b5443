import { Form } from '@remix-run/react';
import type { FormErrors } from '~/server/admin/form-errors.server';
import { CsrfField } from './csrf-field';
import { Field } from './field';
import { FormProblem } from './form-problem';
import { OverrideReasonField } from './override-reason-field';

/** Announcing: one email per contact with an address, an in-app notice for everyone. */
export function AnnounceForm({
  needsReason,
  errors,
  values,
}: {
  needsReason: boolean;
  errors: FormErrors | undefined;
  values: { rate: string; overrideReason: string } | undefined;
}) {
  const fields = errors?.fields ?? {};
  return (
    <Form method="post" className="panel" aria-labelledby="announce-heading">
      <h2 id="announce-heading">Announce</h2>
      <CsrfField />
      <FormProblem errors={errors} />
      <p>
        Every contact gets an in-app notice, and every contact with an address an email (a required message:
        nobody can have opted out of it). Contacts added before the effective date are notified too.
      </p>
      <Field
        id="rate"
        label="Emails per second (optional)"
        hint="Leave empty to send as fast as the workers can."
        error={fields.rate}
      >
        {(control) => (
          <input
            type="number"
            name="rate"
            min={1}
            inputMode="numeric"
            defaultValue={values?.rate}
            {...control}
          />
        )}
      </Field>
      {(needsReason || fields.overrideReason) && (
        <OverrideReasonField
          label="Reason for announcing with less notice"
          hint="The notice period is no longer met. Recorded with the version; at least 10 characters."
          error={fields.overrideReason}
          value={values?.overrideReason}
        />
      )}
      <button type="submit" name="intent" value="announce">
        Announce to every contact
      </button>
    </Form>
  );
}
