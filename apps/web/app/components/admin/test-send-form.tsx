import { Form } from '@remix-run/react';
import { CsrfField } from './csrf-field';
import { Field } from './field';

/** Sends this campaign's email to one address, outside the campaign's counts. */
export function TestSendForm({
  sentTo,
  error,
  value,
}: {
  sentTo: string | undefined;
  error: string | undefined;
  value: string | undefined;
}) {
  return (
    <Form method="post" className="panel" aria-labelledby="test-send-heading">
      <h2 id="test-send-heading">Test send</h2>
      <CsrfField />
      {sentTo && (
        <p role="status" className="notice">
          Test email queued for {sentTo}. It is not counted in the campaign.
        </p>
      )}
      <Field
        id="testEmail"
        label="Send a test to"
        hint="The worker still checks consent: an address that opted out of this category gets nothing."
        error={error}
      >
        {(control) => (
          <input
            type="email"
            name="testEmail"
            autoComplete="email"
            required
            defaultValue={value}
            {...control}
          />
        )}
      </Field>
      <button type="submit" name="intent" value="test-send" className="secondary">
        Send test email
      </button>
    </Form>
  );
}
