import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { describeClient } from '~/server/client.server';
import { confirmOptIn } from '~/server/confirm-opt-in.server';
import { readConfirmationLink } from '~/server/read-confirmation-link.server';

export const meta: MetaFunction = () => [{ title: 'Confirm your email choices' }];

/**
 * The link in the confirmation mail (docs/decisions/014). Like every GET here it changes nothing, so
 * a link scanner opening it confirms nothing: the person presses the button.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const link = await readConfirmationLink(params.token, describeClient(request, context));
  if (link.state === 'expired') return data({ expired: true, choices: [] as string[] }, { status: 410 });
  return { expired: false, choices: link.choices };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const client = describeClient(request, context);
  const link = await readConfirmationLink(params.token, client);
  if (link.state === 'expired') return data({ result: 'expired' as const }, { status: 410 });
  return confirmOptIn(link.payload, client);
}

export default function ConfirmOptInPage() {
  const { expired, choices } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  if (expired || outcome?.result === 'expired') {
    return (
      <>
        <h1>This confirmation link has expired</h1>
        <p>
          Nothing was changed. Open your email preferences again from one of our emails to ask for a new one.
        </p>
      </>
    );
  }
  if (outcome?.result === 'revoked') {
    return (
      <>
        <h1>This link no longer works</h1>
        <p>
          Nothing was changed: the links we sent you earlier were withdrawn. Use the link in our latest email.
        </p>
      </>
    );
  }
  if (outcome?.result === 'confirmed') {
    return (
      <>
        <h1>Confirmed</h1>
        <p role="status" className="notice">
          You will get these emails again: {choices.join(', ')}.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Turn these emails back on?</h1>
      <p>You asked to get these emails again: {choices.join(', ')}.</p>
      <Form method="post">
        <button type="submit">Confirm</button>
      </Form>
    </>
  );
}
