import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import type { MessageKey } from '~/i18n/catalogs';
import { createTranslator } from '~/i18n/translator';
import { applyOneClick } from '~/server/apply-one-click.server';
import { describeClient } from '~/server/client.server';
import { chooseLanguage } from '~/server/i18n/choose-language.server';
import { readOneClickBody } from '~/server/read-one-click-body.server';

/**
 * RFC 8058 one-click unsubscribe. A resource route: mail providers post cross-site with no
 * cookies, and this route never reads the session.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return text(request, 405, 'oneClick.usePost', { Allow: 'POST' });
  const outcome = await applyOneClick({
    token: params.token,
    readListUnsubscribe: () => readOneClickBody(request),
    client: describeClient(request, context),
  });
  return text(
    request,
    outcome.status,
    outcome.message,
    outcome.status === 429 ? { 'Retry-After': '60' } : {},
  );
}

/** GET never changes anything: link scanners and prefetchers follow every link in a message. */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/unsubscribe/${encodeURIComponent(params.token ?? '')}`, 303);
}

/**
 * The answer in the language the request asks for (its Accept-Language in practice: a cross-site
 * post carries no cookie; English without one): whoever posts here is a mail provider's machine,
 * not the person, so the contact's stored locale is not looked up, and the benchmarked path gains
 * no query.
 * Content-Length spares the response chunked encoding: fewer writes on the benchmarked path.
 * (server.js marks every /u/ answer `Cache-Control: no-store`.)
 */
function text(request: Request, status: number, message: MessageKey, headers: Record<string, string> = {}) {
  const language = chooseLanguage(request);
  const body = `${createTranslator(language).t(message)}\n`;
  return new Response(body, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      'Content-Language': language.locale,
      Vary: 'Accept-Language',
      ...headers,
    },
  });
}
