import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { describeClient } from '~/server/client.server';
import { loadUnsubscribeTarget, type UnsubscribeTarget } from '~/server/load-unsubscribe-page.server';
import { requireLinkToken } from '~/server/require-link-token.server';
import { submitUnsubscribePage, type UndoScope } from '~/server/submit-unsubscribe-page.server';

export const meta: MetaFunction = () => [{ title: 'Unsubscribe' }];

/** Shows what the link unsubscribes from; like every GET here, it changes nothing. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const payload = await requireLinkToken(params.token, describeClient(request, context));
  return { target: await loadUnsubscribeTarget(payload) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const client = describeClient(request, context);
  const payload = await requireLinkToken(params.token, client);
  const target = await loadUnsubscribeTarget(payload);
  const form = await request.formData();
  return submitUnsubscribePage({ payload, target, form, client });
}

export default function UnsubscribePage() {
  const { target } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { token } = useParams();
  const preferencesLink = (
    <p>
      <Link to={`/preferences/${token}`}>Choose exactly which emails you get</Link>
    </p>
  );

  if (outcome?.result === 'resubscribed') {
    return (
      <>
        <h1>{outcome.changed.length > 0 ? 'You are subscribed again' : 'Nothing has changed yet'}</h1>
        <p role="status" className="notice">
          {outcome.changed.length > 0
            ? `You will get ${describe(target, outcome.changed)} again.`
            : outcome.confirmation || outcome.refused?.length
              ? 'You are still unsubscribed.'
              : 'Nothing needed changing: you were already subscribed.'}
        </p>
        {outcome.confirmation && (
          <p role="status" className="notice">
            {outcome.confirmation.sent
              ? `Check your inbox: we sent you an email to confirm before you get ${describe(target, outcome.confirmation.scopes)} again.`
              : 'We could not send a confirmation email just now (we already sent several). Try again later.'}
          </p>
        )}
        {outcome.refused && outcome.refused.length > 0 && (
          <p role="status" className="notice">
            This link can no longer subscribe you. Use the link in our latest email, or sign in to your
            account.
          </p>
        )}
        {preferencesLink}
      </>
    );
  }

  if (outcome?.result === 'unsubscribed') {
    return (
      <>
        <h1>{outcome.changed.length > 0 ? 'You are unsubscribed' : 'You were already unsubscribed'}</h1>
        <p role="status" className="notice">
          {outcome.changed.length > 0
            ? `You will not get ${describe(target, outcome.changed)} any more. This takes effect immediately.`
            : 'Nothing needed changing.'}
        </p>
        {outcome.changed.length > 0 && (
          <Form method="post">
            <input type="hidden" name="intent" value="undo" />
            {outcome.changed.map((scope) => (
              <input key={scope} type="hidden" name="undo" value={scope} />
            ))}
            <p>Changed your mind?</p>
            <button type="submit" className="secondary">
              Undo: subscribe me again
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
        <h1>Unsubscribe from all marketing email?</h1>
        <p>
          You will stop getting newsletters, product news and offers. Messages about your account still
          arrive.
        </p>
        <Form method="post">
          <button type="submit">Unsubscribe from all marketing</button>
        </Form>
        {preferencesLink}
      </>
    );
  }

  if (target.required) {
    return (
      <>
        <h1>{target.name} emails cannot be turned off</h1>
        <p>
          {target.description} We send these to everyone with an account because they concern your account or
          your rights, and they never contain marketing.
        </p>
        <Form method="post">
          <input type="hidden" name="allMarketing" value="on" />
          <button type="submit">Unsubscribe from all marketing instead</button>
        </Form>
        {preferencesLink}
      </>
    );
  }

  return (
    <>
      <h1>Unsubscribe from {target.name}?</h1>
      <p>
        You will stop getting <strong>{target.name}</strong> emails: {lowerFirst(target.description)}
      </p>
      <Form method="post">
        <div className="choice">
          <input type="checkbox" id="allMarketing" name="allMarketing" aria-describedby="allMarketing-hint" />
          <label htmlFor="allMarketing">Also unsubscribe from all marketing email</label>
          <p id="allMarketing-hint" className="hint">
            Newsletters, product news and offers. Messages about your account still arrive.
          </p>
        </div>
        <button type="submit">Unsubscribe</button>
      </Form>
      {preferencesLink}
    </>
  );
}

function describe(target: UnsubscribeTarget, scopes: UndoScope[]) {
  const parts: string[] = [];
  if (target.kind === 'category' && !target.required && scopes.includes('category'))
    parts.push(`${target.name} emails`);
  if (target.kind === 'all-promotional' || scopes.includes('all-marketing'))
    parts.push('any marketing email');
  return parts.join(' or ') || 'these emails';
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
