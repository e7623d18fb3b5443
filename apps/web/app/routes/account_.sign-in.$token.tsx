import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslator } from '~/i18n/i18n-context';
import { pageTitle } from '~/i18n/page-title';
import { describeClient } from '~/server/client.server';
import { consumeSignIn, usableSignInContact } from '~/server/consume-sign-in.server';
import { chooseLanguage } from '~/server/i18n/choose-language.server';
import { recordTokenFailure } from '~/server/record-token-failure.server';
import { startAccountSession } from '~/server/session.server';
import { SIGN_IN_MINUTES } from '~/sign-in-lifetime';

export const meta = pageTitle('signIn.meta');

/**
 * Opening the link only shows a button: mail scanners fetch every link in a message, and a GET
 * that used the single-use link would spend it before its owner clicks.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const contact = await usableSignInContact(params.token ?? '');
  // A usable link names its contact, so the page speaks their language; another has no contact.
  if (contact) return { usable: true, language: chooseLanguage(request, contact) };
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
  const { t } = useTranslator();
  if (!usable) {
    return (
      <>
        <h1>{t('signIn.unusable.title')}</h1>
        <p>{t('signIn.unusable.body', { minutes: SIGN_IN_MINUTES })}</p>
        <p>
          <Link to="/account">{t('signIn.unusable.newLink')}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      <Form method="post">
        <button type="submit">{t('signIn.button')}</button>
      </Form>
    </>
  );
}
