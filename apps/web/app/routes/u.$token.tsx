import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { applyOneClick } from '~/server/apply-one-click.server';
import { describeClient } from '~/server/client.server';
import { oneClickAnswer } from '~/server/one-click-answer.server';
import { readOneClickBody } from '~/server/read-one-click-body.server';

/**
 * RFC 8058 one-click unsubscribe. A resource route: mail providers post cross-site with no
 * cookies, and this route never reads the session. server.js answers the url-encoded posts mail
 * providers send in Express before Remix (server/one-click-express.server.ts), with the same
 * applyOneClick and answer; what reaches this route is the rest (a multipart body, another method).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') {
    return respond(oneClickAnswer(request, 405, 'oneClick.usePost', { Allow: 'POST' }));
  }
  const outcome = await applyOneClick({
    token: params.token,
    readListUnsubscribe: () => readOneClickBody(request),
    client: describeClient(request, context),
  });
  return respond(oneClickAnswer(request, outcome.status, outcome.message));
}

/** GET never changes anything: link scanners and prefetchers follow every link in a message. */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/unsubscribe/${encodeURIComponent(params.token ?? '')}`, 303);
}

function respond({ status, headers, body }: ReturnType<typeof oneClickAnswer>) {
  return new Response(body, { status, headers });
}
