import { Form } from '@remix-run/react';
import type { FormErrors } from '~/server/admin/form-errors.server';
import type { PolicyFormValues } from '~/server/admin/policies/submit-new-policy.server';
import { CsrfField } from './csrf-field';
import { Field } from './field';
import { formatInstant } from './format';
import { FormProblem } from './form-problem';
import { OverrideReasonField } from './override-reason-field';
import { TimezoneSelect } from './timezone-select';

/**
 * A new policy version. The notice-period rule is the API's: when it refuses a date as too soon,
 * the page names the earliest allowed one and offers the reason field that overrides the rule.
 */
export function PolicyForm({
  timezones,
  noticeDays,
  values,
  errors,
  tooSoon,
}: {
  timezones: string[];
  noticeDays: number;
  values: PolicyFormValues | undefined;
  errors: FormErrors | undefined;
  tooSoon: { earliestAllowed: string; noticeDays: number } | undefined;
}) {
  const fields = errors?.fields ?? {};
  const offerOverride = Boolean(tooSoon || values?.overrideReason || fields.overrideReason);
  return (
    <Form method="post" noValidate>
      <CsrfField />
      <FormProblem errors={errors} />
      <div className="inline-fields">
        <Field
          id="version"
          label="Version"
          hint='Letters, digits, ".", "_" and "-", e.g. "2026-03".'
          error={fields.version}
        >
          {(control) => (
            <input type="text" name="version" required defaultValue={values?.version} {...control} />
          )}
        </Field>
        <Field
          id="title"
          label="Title"
          hint="At most 120 characters; the email's subject names it."
          error={fields.title}
        >
          {(control) => (
            <input
              type="text"
              name="title"
              required
              maxLength={120}
              defaultValue={values?.title ?? 'Privacy Policy'}
              {...control}
            />
          )}
        </Field>
      </div>
      <Field
        id="summary"
        label="What changes since the previous version"
        hint="In plain words. The email, the in-app notice and the public policy page quote it."
        error={fields.summary}
      >
        {(control) => (
          <textarea
            className="prose"
            name="summary"
            rows={5}
            required
            defaultValue={values?.summary}
            {...control}
          />
        )}
      </Field>
      <Field id="url" label="Address of the full policy" hint="https://…" error={fields.url}>
        {(control) => <input type="url" name="url" required defaultValue={values?.url} {...control} />}
      </Field>
      <div className="inline-fields">
        <Field
          id="effectiveAt"
          label="Takes effect at"
          hint={`At least ${noticeDays} days from now, so that everyone can be told first.`}
          error={
            tooSoon
              ? `Too soon: the earliest allowed date is ${formatInstant(tooSoon.earliestAllowed)} (${
                  tooSoon.noticeDays
                } days from now). Choose that date or later, or give a reason below to publish with less notice.`
              : fields.effectiveAt
          }
        >
          {(control) => (
            <input
              type="datetime-local"
              name="effectiveAt"
              required
              defaultValue={values?.effectiveAt}
              {...control}
            />
          )}
        </Field>
        <Field id="timezone" label="Time zone" error={fields.timezone}>
          {(control) => (
            <TimezoneSelect zones={timezones} defaultValue={values?.timezone ?? 'UTC'} control={control} />
          )}
        </Field>
      </div>
      {offerOverride && (
        <OverrideReasonField
          label="Reason for publishing with less notice"
          hint="Recorded with the version. At least 10 characters: who decided, and why it cannot wait."
          error={fields.overrideReason}
          value={values?.overrideReason}
        />
      )}
      <button type="submit">Publish version</button>
      <p className="muted">Publishing does not notify anyone yet: announce the version from its page.</p>
    </Form>
  );
}
