import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { PendingNotices } from '~/components/notices/pending-notices';
import { PreferenceForm } from '~/components/preference-form';
import { useTranslator } from '~/i18n/i18n-context';
import { pageTitle } from '~/i18n/page-title';
import { describeClient } from '~/server/client.server';
import { loadPreferenceCenter } from '~/server/load-preference-center.server';
import { acknowledgeNotice, listPendingNotices } from '~/server/notices/pending-notices.server';
import { requestSignIn } from '~/server/request-sign-in.server';
import { requireCsrf } from '~/server/require-csrf.server';
import { savePreferenceCenter } from '~/server/save-preference-center.server';
import { endAccountSession, readAccountSession } from '~/server/session.server';
import { SIGN_IN_MINUTES } from '~/sign-in-lifetime';

export const meta = pageTitle('account.meta');

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await readAccountSession(request);
  if (!session) return { signedIn: false as const };
  const center = await loadPreferenceCenter(session.contactId, request);
  if (!center) {
    // The contact was erased while signed in: the session ends with it.
    return data(
      { signedIn: false as const },
      { headers: { 'Set-Cookie': await endAccountSession(request) } },
    );
  }
  const notices = await listPendingNotices(session.contactId);
  return { signedIn: true as const, csrfToken: session.csrf, ...center, notices };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get('intent') === 'request-link') {
    const accepted = await requestSignIn(form.get('email'), describeClient(request, context));
    return accepted
      ? { kind: 'link-requested' as const }
      : data({ kind: 'invalid-email' as const }, { status: 400 });
  }
  const session = requireCsrf(await readAccountSession(request), form);
  if (form.get('intent') === 'acknowledge-notice') {
    await acknowledgeNotice(session.contactId, form.get('noticeId'));
    return redirect('/account', 303);
  }
  const saved = await savePreferenceCenter({
    contactId: session.contactId,
    form,
    source: 'account-page',
    client: describeClient(request, context),
  });
  return { kind: 'saved' as const, changed: saved.changed };
}

export default function AccountPage() {
  const account = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { t } = useTranslator();

  if (account.signedIn) {
    return (
      <>
        <PendingNotices notices={account.notices} csrfToken={account.csrfToken} />
        <PreferenceForm
          maskedAddress={account.maskedAddress}
          preferences={account.preferences}
          saved={outcome?.kind === 'saved' ? outcome.changed : undefined}
          csrfToken={account.csrfToken}
        />
        <p>
          <a href="/account/export" download>
            {t('account.export')}
          </a>
        </p>
        <Form method="post" action="/account/sign-out" className="sign-out">
          <input type="hidden" name="csrf" value={account.csrfToken} />
          <button type="submit" className="secondary">
            {t('account.signOut')}
          </button>
        </Form>
      </>
    );
  }

  return (
    <>
      <h1>{t('account.signIn.title')}</h1>
      {outcome?.kind === 'link-requested' && (
        <p role="status" className="notice">
          {t('account.signIn.linkSent', { minutes: SIGN_IN_MINUTES })}
        </p>
      )}
      <p>{t('account.signIn.intro')}</p>
      <Form method="post">
        <input type="hidden" name="intent" value="request-link" />
        <div className="field">
          <label htmlFor="email">{t('common.emailLabel')}</label>
          <input
            type="email"
            id="email"
            name="email"
            autoComplete="email"
            required
            aria-invalid={outcome?.kind === 'invalid-email' ? true : undefined}
            aria-describedby={outcome?.kind === 'invalid-email' ? 'email-error' : undefined}
          />
          {outcome?.kind === 'invalid-email' && (
            <p id="email-error" className="notice error">
              {t('common.emailInvalid')}
            </p>
          )}
        </div>
        <button type="submit">{t('account.signIn.button')}</button>
      </Form>
    </>
  );
}
