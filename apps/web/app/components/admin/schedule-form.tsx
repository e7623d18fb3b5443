import { Form } from '@remix-run/react';
import type { AudienceSize, CampaignView as Campaign } from '@herald/contract';
import type { FormErrors } from '~/server/admin/form-errors.server';
import { CsrfField } from './csrf-field';
import { Field } from './field';
import { formatCount } from './format';
import { FormProblem } from './form-problem';
import { TimezoneSelect } from './timezone-select';

/** The last step for a draft: when to send, with the audience's size right above the button. */
export function ScheduleForm({
  campaign,
  audience,
  timezones,
  errors,
  values,
}: {
  campaign: Campaign;
  audience: AudienceSize | null;
  timezones: string[];
  errors: FormErrors | undefined;
  values: Record<string, string> | undefined;
}) {
  const fields = errors?.fields ?? {};
  const later = values?.when === 'later';
  return (
    <Form method="post" className="panel" aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">Schedule</h2>
      <CsrfField />
      <FormProblem errors={errors} />
      {audience && (
        <p className="notice" id="audience-size">
          The audience reaches <strong>{formatCount(audience.size)} contacts</strong> now
          {audience.excluded > 0 &&
            ` (${formatCount(audience.excluded)} more match but opted out or are suppressed)`}
          . It is chosen again when the campaign is due.
        </p>
      )}
      <fieldset>
        <legend>When to send</legend>
        <div className="choice">
          <input type="radio" id="when-now" name="when" value="now" defaultChecked={!later} />
          <label htmlFor="when-now">Now</label>
        </div>
        <div className="choice">
          <input type="radio" id="when-later" name="when" value="later" defaultChecked={later} />
          <label htmlFor="when-later">At a date and time</label>
        </div>
        <div className="inline-fields">
          <Field id="sendAt" label="Date and time" error={fields.sendAt}>
            {(control) => (
              <input type="datetime-local" name="sendAt" defaultValue={values?.sendAt} {...control} />
            )}
          </Field>
          <Field id="schedule-timezone" label="Time zone" error={fields.timezone}>
            {(control) => (
              <TimezoneSelect
                zones={timezones}
                defaultValue={values?.timezone ?? campaign.timezone}
                control={control}
              />
            )}
          </Field>
        </div>
        <div className="choice">
          <input
            type="checkbox"
            id="schedule-localTime"
            name="localTime"
            defaultChecked={values ? values.localTime === 'on' : campaign.localTime}
          />
          <label htmlFor="schedule-localTime">At that time in each contact&apos;s own time zone</label>
        </div>
      </fieldset>
      <button
        type="submit"
        name="intent"
        value="schedule"
        aria-describedby={audience ? 'audience-size' : undefined}
      >
        Schedule campaign
      </button>
    </Form>
  );
}
