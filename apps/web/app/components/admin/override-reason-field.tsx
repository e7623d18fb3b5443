import { Field } from './field';

/** The written reason an operator gives for less notice than HERALD_POLICY_NOTICE_DAYS (publish or announce). */
export function OverrideReasonField({
  label,
  hint,
  error,
  value,
}: {
  label: string;
  hint: string;
  error: string | undefined;
  value: string | undefined;
}) {
  return (
    <Field id="overrideReason" label={label} hint={hint} error={error}>
      {(control) => (
        <textarea className="prose" name="overrideReason" rows={3} defaultValue={value} {...control} />
      )}
    </Field>
  );
}
