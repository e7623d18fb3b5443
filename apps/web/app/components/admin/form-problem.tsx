import type { FormErrors } from '~/server/admin/form-errors.server';

/** The summary above a refused form: what is wrong overall, and that fields below say more. */
export function FormProblem({ errors }: { errors: FormErrors | undefined }) {
  if (!errors) return null;
  const fieldCount = Object.keys(errors.fields).length;
  if (!errors.form && fieldCount === 0) return null;
  return (
    <div role="alert" className="notice error">
      {errors.form && <p>{errors.form}</p>}
      {fieldCount > 0 && (
        <p>
          {fieldCount === 1 ? 'One field needs' : `${fieldCount} fields need`} attention: see the message
          {fieldCount === 1 ? '' : 's'} below.
        </p>
      )}
    </div>
  );
}
