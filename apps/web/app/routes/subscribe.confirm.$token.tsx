import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { describeClient } from '~/server/client.server';
import { confirmSubscription, readConfirmLink } from '~/server/forms/confirm-subscription.server';
import { FORM_CLOSED } from '~/server/forms/subscribe-form.server';

export const meta: MetaFunction = () => [{ title: 'Confirm your subscription' }];

/**
 * The link in the `subscription-confirm` mail. Like every GET here it changes nothing, so a mail
 * scanner opening it subscribes no one: the person presses the button. Used once; a used, expired or
 * unknown link is the 410 page; a link of a disabled form is the 410 "this form is closed" page, and
 * subscribes nobody.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await readConfirmLink(params.token);
  if (link.state === 'gone') return data({ gone: true, formName: '' }, { status: 410 });
  if (link.state === 'closed') throw data(FORM_CLOSED, { status: 410 });
  return { gone: false, formName: link.formName };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const result = await confirmSubscription(params.token, describeClient(request, context));
  if (result === 'closed') throw data(FORM_CLOSED, { status: 410 });
  // The status is the action's: the loader, run again after it, would call the used link gone.
  return data({ result }, { status: result === 'gone' ? 410 : 200 });
}

export default function ConfirmSubscriptionPage() {
  const { gone, formName } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  if (outcome?.result === 'confirmed') {
    return (
      <>
        <h1>You are subscribed</h1>
        <p role="status" className="notice">
          Thank you for confirming. Every email we send you has a link to change your choices or unsubscribe.
        </p>
      </>
    );
  }
  if (gone || outcome?.result === 'gone') {
    return (
      <>
        <h1>This link no longer works</h1>
        <p>
          It was already used, or it has expired. Nothing was changed. To subscribe, fill in the form again.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Confirm your subscription</h1>
      <p>Press the button to start getting these emails: {formName}.</p>
      <Form method="post">
        <button type="submit">Confirm my subscription</button>
      </Form>
    </>
  );
}
