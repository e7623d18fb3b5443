import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { describeClient } from '~/server/client.server';
import { consumeSignIn, isSignInUsable } from '~/server/consume-sign-in.server';
import { recordTokenFailure } from '~/server/record-token-failure.server';
import { startAccountSession } from '~/server/session.server';
import { SIGN_IN_MINUTES } from '~/sign-in-lifetime';

export const meta: MetaFunction = () => [{ title: 'Sign in' }];

/**
 * Opening the link only shows a button: mail scanners fetch every link in a message, and a GET
 * that used the single-use link would spend it before its owner clicks.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  if (await isSignInUsable(params.token ?? '')) return { usable: true };
  return notUsable(request, context);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  // A post from another site (login CSRF) never gets here: server.js refuses foreign Origins.
  const contactId = await consumeSignIn(params.token ?? '');
  if (!contactId) return notUsable(request, context);
  return redirect('/account', {
    status: 303,
    headers: { 'Set-Cookie': await startAccountSession(contactId) },
  });
}

/** Used, expired or unknown links count as failed token verifications for the rate limit. */
async function notUsable(request: Request, context: LoaderFunctionArgs['context']) {
  const { limited } = await recordTokenFailure(describeClient(request, context));
  if (limited) throw data(null, { status: 429, headers: { 'Retry-After': '60' } });
  return data({ usable: false }, { status: 400 });
}

export default function SignInPage() {
  const { usable } = useLoaderData<typeof loader>();
  if (!usable) {
    return (
      <>
        <h1>This sign-in link cannot be used</h1>
        <p>
          Sign-in links work once and expire after {SIGN_IN_MINUTES} minutes. Nobody has been signed in with
          it now.
        </p>
        <p>
          <Link to="/account">Ask for a new sign-in link</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Sign in</h1>
      <p>Sign in to see and change which emails we send you.</p>
      <Form method="post">
        <button type="submit">Sign in</button>
      </Form>
    </>
  );
}
