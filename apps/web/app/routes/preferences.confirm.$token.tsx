import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslator } from '~/i18n/i18n-context';
import { pageTitle } from '~/i18n/page-title';
import { describeClient } from '~/server/client.server';
import { confirmOptIn } from '~/server/confirm-opt-in.server';
import { chooseLanguage } from '~/server/i18n/choose-language.server';
import { readContactLanguage } from '~/server/i18n/contact-language.server';
import { localizeCategory } from '~/server/i18n/localize-category.server';
import { readConfirmationLink } from '~/server/read-confirmation-link.server';

export const meta = pageTitle('optIn.meta');

/**
 * The link in the confirmation mail (docs/decisions/014). Like every GET here it changes nothing, so
 * a link scanner opening it confirms nothing: the person presses the button. The link names its
 * contact, so the page speaks their language.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const link = await readConfirmationLink(params.token, describeClient(request, context));
  if (link.state === 'expired') {
    return data(
      {
        expired: true,
        choices: { names: [] as string[], allPromotional: false },
        language: chooseLanguage(request),
      },
      { status: 410 },
    );
  }
  const language = chooseLanguage(request, await readContactLanguage(link.payload.contactId));
  const names = link.categories.map((category) => localizeCategory(category, language).name);
  return {
    expired: false,
    choices: { names, allPromotional: link.payload.allPromotional === true },
    language,
  };
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
  const { t, list } = useTranslator();
  const named = list([
    ...choices.names,
    ...(choices.allPromotional ? [t('preferences.allPromotional.label')] : []),
  ]);
  if (expired || outcome?.result === 'expired') {
    return (
      <>
        <h1>{t('optIn.expired.title')}</h1>
        <p>{t('optIn.expired.body')}</p>
      </>
    );
  }
  if (outcome?.result === 'revoked') {
    return (
      <>
        <h1>{t('optIn.revoked.title')}</h1>
        <p>{t('optIn.revoked.body')}</p>
      </>
    );
  }
  if (outcome?.result === 'confirmed') {
    return (
      <>
        <h1>{t('optIn.confirmed.title')}</h1>
        <p role="status" className="notice">
          {t('optIn.confirmed.body', { choices: named })}
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t('optIn.ask.title')}</h1>
      <p>{t('optIn.ask.body', { choices: named })}</p>
      <Form method="post">
        <button type="submit">{t('optIn.ask.button')}</button>
      </Form>
    </>
  );
}
