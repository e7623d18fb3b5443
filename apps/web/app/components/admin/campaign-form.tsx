import { Form } from '@remix-run/react';
import type { AudienceSize } from '@herald/contract';
import type { CampaignFormValues } from '~/server/admin/campaigns/campaign-form.server';
import type { CampaignFormOptions } from '~/server/admin/campaigns/load-campaign-form.server';
import type { FormErrors } from '~/server/admin/form-errors.server';
import { CategoryCheckboxes } from './category-checkboxes';
import { CsrfField } from './csrf-field';
import { Field } from './field';
import { formatCount } from './format';
import { FormProblem } from './form-problem';
import { TimezoneSelect } from './timezone-select';

type Template = NonNullable<CampaignFormOptions['template']>;

/**
 * The new-campaign form: what is sent (template data), to whom (categories, locales, attributes)
 * and how (time zone, local-time mode, rate). "Check audience size" answers on the same page with
 * everything kept as typed; "Create draft" stores it for preview, test send and scheduling.
 */
export function CampaignForm({
  options,
  template,
  values,
  errors,
  audience,
}: {
  options: CampaignFormOptions;
  template: Template;
  values: CampaignFormValues | undefined;
  errors: FormErrors | undefined;
  audience: AudienceSize | undefined;
}) {
  const fields = errors?.fields ?? {};
  const categories = values?.categories ?? [template.category];
  return (
    <Form method="post" noValidate>
      <CsrfField />
      <input type="hidden" name="template" value={template.key} />
      <FormProblem errors={errors} />
      <Field id="name" label="Campaign name" hint="For you; recipients never see it." error={fields.name}>
        {(control) => <input type="text" name="name" required defaultValue={values?.name} {...control} />}
      </Field>
      <Field
        id="data"
        label="Template data (JSON)"
        hint="Fills the template for every recipient, beside each contact's own name and links. Starts from the template's sample."
        error={fields.data ?? fields.template}
      >
        {(control) => (
          <textarea
            name="data"
            rows={14}
            spellCheck={false}
            defaultValue={values?.data ?? template.fixture}
            {...control}
          />
        )}
      </Field>

      <fieldset aria-describedby={fields.categories ? 'categories-error' : undefined}>
        <legend>Audience</legend>
        <p className="hint muted">
          Contacts subscribed to every category ticked here. It must include the template&apos;s own category
          ({template.category}).
        </p>
        <CategoryCheckboxes categories={options.categories} checked={categories} className="choice" />
        {fields.categories && (
          <p className="field-error" id="categories-error">
            {fields.categories}
          </p>
        )}
        <Field
          id="locales"
          label="Locales (optional)"
          hint='Comma-separated, e.g. "en, fr-CA": "en" matches every English locale.'
          error={fields.locales}
        >
          {(control) => <input type="text" name="locales" defaultValue={values?.locales} {...control} />}
        </Field>
        <Field
          id="attributes"
          label="Contact attributes (optional)"
          hint="One key=value per line; a contact matches when every one is equal. 42, true and null are read as such."
          error={fields.attributes}
        >
          {(control) => (
            <textarea name="attributes" rows={3} defaultValue={values?.attributes} {...control} />
          )}
        </Field>
      </fieldset>

      <fieldset>
        <legend>Sending</legend>
        <Field
          id="timezone"
          label="Time zone"
          hint="The send time you choose next is read in this zone."
          error={fields.timezone}
        >
          {(control) => (
            <TimezoneSelect
              zones={options.timezones}
              defaultValue={values?.timezone ?? 'UTC'}
              control={control}
            />
          )}
        </Field>
        <div className="choice">
          <input
            type="checkbox"
            id="localTime"
            name="localTime"
            defaultChecked={values?.localTime ?? false}
          />
          <label htmlFor="localTime">Send at that time in each contact&apos;s own time zone</label>
          <p className="hint">Spreads the sending over the 24 hours after the send time.</p>
        </div>
        <Field id="rate" label="Rate limit (emails per second, optional)" error={fields.rate}>
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
      </fieldset>

      {audience && (
        <p role="status" className="notice">
          <strong>{formatCount(audience.size)} contacts</strong> would receive this campaign now
          {audience.excluded > 0 &&
            ` (${formatCount(audience.matching)} match the filters; ${formatCount(
              audience.excluded,
            )} of them opted out or are suppressed)`}
          .
        </p>
      )}
      <div className="actions">
        <button type="submit" name="intent" value="check-audience" className="secondary">
          Check audience size
        </button>
        <button type="submit" name="intent" value="create">
          Create draft
        </button>
      </div>
    </Form>
  );
}
