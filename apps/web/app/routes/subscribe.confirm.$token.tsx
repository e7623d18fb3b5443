import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslator } from '~/i18n/i18n-context';
import { pageTitle } from '~/i18n/page-title';
import { describeClient } from '~/server/client.server';
import { confirmSubscription, readConfirmLink } from '~/server/forms/confirm-subscription.server';
import { FORM_CLOSED } from '~/server/forms/subscribe-form.server';

export const meta = pageTitle('subscribeConfirm.meta');

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
  const { t } = useTranslator();
  if (outcome?.result === 'confirmed') {
    return (
      <>
        <h1>{t('subscribeConfirm.done.title')}</h1>
        <p role="status" className="notice">
          {t('subscribeConfirm.done.body')}
        </p>
      </>
    );
  }
  if (gone || outcome?.result === 'gone') {
    return (
      <>
        <h1>{t('subscribeConfirm.gone.title')}</h1>
        <p>{t('subscribeConfirm.gone.body')}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t('subscribeConfirm.ask.title')}</h1>
      <p>{t('subscribeConfirm.ask.body', { name: formName })}</p>
      <Form method="post">
        <button type="submit">{t('subscribeConfirm.ask.button')}</button>
      </Form>
    </>
  );
}
