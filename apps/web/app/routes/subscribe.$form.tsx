import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslator } from '~/i18n/i18n-context';
import { languageFromMatches } from '~/i18n/page-language';
import { createTranslator } from '~/i18n/translator';
import { describeClient } from '~/server/client.server';
import { chooseLanguage } from '~/server/i18n/choose-language.server';
import { signFillStamp } from '~/server/forms/fill-stamp.server';
import { requestSubscription } from '~/server/forms/request-subscription.server';
import { CONFIRM_DAYS, HONEYPOT_FIELD, STAMP_FIELD } from '~/server/forms/subscribe-fields';
import { FORM_CLOSED, findOpenForm } from '~/server/forms/subscribe-form.server';

export const meta: MetaFunction<typeof loader> = ({ data: page, matches }) => {
  const { t } = createTranslator(languageFromMatches(matches));
  return [{ title: page ? t('subscribe.meta', { name: page.form.name }) : t('subscribe.metaFallback') }];
};

/**
 * A subscribe form's hosted page (and, as its action, the endpoint the embeddable snippet posts to).
 * Nothing is subscribed here: a real request mails a confirmation link, and every acceptable post
 * gets the same "check your inbox" page whether a mail went or not. A disabled form's page and
 * posts are the 410 "this form is closed" page: nothing is recorded and nothing is mailed.
 * The page's own words follow the visitor's language; the form's name and consent text are the
 * owner's, shown as written.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const form = await findOpenForm(params.form);
  if (!form) throw data(null, { status: 404 });
  if (form === 'closed') throw data(FORM_CLOSED, { status: 410 });
  return { form: publicView(form), stamp: signFillStamp(form.key) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await findOpenForm(params.form);
  if (!form) throw data(null, { status: 404 });
  if (form === 'closed') throw data(FORM_CLOSED, { status: 410 });
  const outcome = await requestSubscription(
    form,
    await request.formData(),
    describeClient(request, context),
    chooseLanguage(request),
  );
  if (outcome.kind === 'invalid-email')
    return data({ ...outcome, stamp: signFillStamp(form.key) }, { status: 422 });
  if (outcome.kind === 'review') return { ...outcome, stamp: signFillStamp(form.key) };
  return outcome;
}

const publicView = (form: { key: string; name: string; fields: string[]; consentText: string }) => ({
  key: form.key,
  name: form.name,
  askName: form.fields.includes('name'),
  consentText: form.consentText,
});

export default function SubscribePage() {
  const { form, stamp: pageStamp } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { t } = useTranslator();
  if (outcome?.kind === 'check-inbox') {
    return (
      <>
        <h1>{t('subscribe.checkInbox.title')}</h1>
        <p role="status" className="notice">
          {t('subscribe.checkInbox.body', { name: form.name, days: CONFIRM_DAYS })}
        </p>
      </>
    );
  }
  const values = outcome && 'values' in outcome ? outcome.values : { email: '', name: '' };
  const stamp = outcome && 'stamp' in outcome ? outcome.stamp : pageStamp;
  const invalid = outcome?.kind === 'invalid-email';
  return (
    <>
      <h1>{form.name}</h1>
      {outcome?.kind === 'review' && (
        <p role="status" className="notice">
          {t('subscribe.review')}
        </p>
      )}
      <p id="consent-text">{form.consentText}</p>
      <Form method="post" aria-label={t('subscribe.formLabel', { name: form.name })}>
        <input type="hidden" name={STAMP_FIELD} value={stamp} />
        <div className="field">
          <label htmlFor="email">{t('common.emailLabel')}</label>
          <input
            type="email"
            id="email"
            name="email"
            autoComplete="email"
            required
            defaultValue={values.email}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? 'email-error' : undefined}
          />
          {invalid && (
            <p id="email-error" className="notice error">
              {t('common.emailInvalid')}
            </p>
          )}
        </div>
        {form.askName && (
          <div className="field">
            <label htmlFor="name">{t('subscribe.nameLabel')}</label>
            <input
              type="text"
              id="name"
              name="name"
              autoComplete="name"
              maxLength={200}
              defaultValue={values.name}
            />
          </div>
        )}
        <div hidden>
          <label htmlFor={HONEYPOT_FIELD}>{t('subscribe.honeypot')}</label>
          <input type="text" id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" />
        </div>
        <button type="submit" aria-describedby="consent-text">
          {t('subscribe.button')}
        </button>
      </Form>
    </>
  );
}
