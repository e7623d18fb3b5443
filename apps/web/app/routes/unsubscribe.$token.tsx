import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { useTranslator } from '~/i18n/i18n-context';
import { continueAfterColon } from '~/i18n/locales';
import { pageTitle } from '~/i18n/page-title';
import type { Translator } from '~/i18n/translator';
import { describeClient } from '~/server/client.server';
import { loadUnsubscribeTarget, type UnsubscribeTarget } from '~/server/load-unsubscribe-page.server';
import { requireLinkToken } from '~/server/require-link-token.server';
import { submitUnsubscribePage, type UndoScope } from '~/server/submit-unsubscribe-page.server';

export const meta = pageTitle('unsubscribe.meta');

/** Shows what the link unsubscribes from; like every GET here, it changes nothing. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const payload = await requireLinkToken(params.token, describeClient(request, context));
  return loadUnsubscribeTarget(payload, request);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const client = describeClient(request, context);
  const payload = await requireLinkToken(params.token, client);
  const { target } = await loadUnsubscribeTarget(payload, request);
  const form = await request.formData();
  return submitUnsubscribePage({ payload, target, form, client });
}

export default function UnsubscribePage() {
  const { target } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { token } = useParams();
  const translator = useTranslator();
  const { t } = translator;
  const preferencesLink = (
    <p>
      <Link to={`/preferences/${token}`}>{t('unsubscribe.preferencesLink')}</Link>
    </p>
  );

  if (outcome?.result === 'resubscribed') {
    return (
      <>
        <h1>
          {outcome.changed.length > 0
            ? t('unsubscribe.resubscribed.title')
            : t('unsubscribe.resubscribed.nothingYet')}
        </h1>
        <p role="status" className="notice">
          {outcome.changed.length > 0
            ? t('unsubscribe.resubscribed.changed', { what: describe(translator, target, outcome.changed) })
            : outcome.confirmation || outcome.refused?.length
              ? t('unsubscribe.resubscribed.stillUnsubscribed')
              : t('unsubscribe.resubscribed.alreadySubscribed')}
        </p>
        {outcome.confirmation && (
          <p role="status" className="notice">
            {outcome.confirmation.sent
              ? t('unsubscribe.resubscribed.confirmationSent', {
                  what: describe(translator, target, outcome.confirmation.scopes),
                })
              : t('unsubscribe.resubscribed.confirmationNotSent')}
          </p>
        )}
        {outcome.refused && outcome.refused.length > 0 && (
          <p role="status" className="notice">
            {t('unsubscribe.resubscribed.refused')}
          </p>
        )}
        {preferencesLink}
      </>
    );
  }

  if (outcome?.result === 'unsubscribed') {
    return (
      <>
        <h1>
          {outcome.changed.length > 0 ? t('unsubscribe.done.title') : t('unsubscribe.done.alreadyTitle')}
        </h1>
        <p role="status" className="notice">
          {outcome.changed.length > 0
            ? t('unsubscribe.done.changed', { what: describe(translator, target, outcome.changed) })
            : t('unsubscribe.done.nothing')}
        </p>
        {outcome.changed.length > 0 && (
          <Form method="post">
            <input type="hidden" name="intent" value="undo" />
            {outcome.changed.map((scope) => (
              <input key={scope} type="hidden" name="undo" value={scope} />
            ))}
            <p>{t('unsubscribe.undo.question')}</p>
            <button type="submit" className="secondary">
              {t('unsubscribe.undo.button')}
            </button>
          </Form>
        )}
        {preferencesLink}
      </>
    );
  }

  if (target.kind === 'all-promotional') {
    return (
      <>
        <h1>{t('unsubscribe.all.title')}</h1>
        <p>{t('unsubscribe.all.body')}</p>
        <Form method="post">
          <button type="submit">{t('unsubscribe.all.button')}</button>
        </Form>
        {preferencesLink}
      </>
    );
  }

  if (target.required) {
    return (
      <>
        <h1>{t('unsubscribe.required.title', { name: target.name })}</h1>
        <p>{t('unsubscribe.required.body', { description: target.description })}</p>
        <Form method="post">
          <input type="hidden" name="allMarketing" value="on" />
          <button type="submit">{t('unsubscribe.required.button')}</button>
        </Form>
        {preferencesLink}
      </>
    );
  }

  return (
    <>
      <h1>{t('unsubscribe.category.title', { name: target.name })}</h1>
      <p>
        {translator.rich(
          'unsubscribe.category.body',
          { name: target.name, description: continueAfterColon(translator.locale, target.description) },
          { strong: (chunks) => <strong>{chunks}</strong> },
        )}
      </p>
      <Form method="post">
        <div className="choice">
          <input type="checkbox" id="allMarketing" name="allMarketing" aria-describedby="allMarketing-hint" />
          <label htmlFor="allMarketing">{t('unsubscribe.category.alsoAll')}</label>
          <p id="allMarketing-hint" className="hint">
            {t('unsubscribe.category.alsoAllHint')}
          </p>
        </div>
        <button type="submit">{t('unsubscribe.category.button')}</button>
      </Form>
      {preferencesLink}
    </>
  );
}

/** What the change applies to, as the `unsubscribe.what` message words it. */
function describe({ t }: Translator, target: UnsubscribeTarget, scopes: UndoScope[]) {
  const category = target.kind === 'category' && !target.required && scopes.includes('category');
  const marketing = target.kind === 'all-promotional' || scopes.includes('all-marketing');
  const scope = category && marketing ? 'both' : category ? 'category' : marketing ? 'marketing' : 'none';
  return t('unsubscribe.what', { scope, name: target.kind === 'category' ? target.name : '' });
}
