import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { applyOneClick } from '~/server/apply-one-click.server';
import { describeClient } from '~/server/client.server';
import { readOneClickBody } from '~/server/read-one-click-body.server';

/**
 * RFC 8058 one-click unsubscribe. A resource route: mail providers post cross-site with no
 * cookies, and this route never reads the session.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return text(405, 'Use POST.\n', { Allow: 'POST' });
  const outcome = await applyOneClick({
    token: params.token,
    readListUnsubscribe: () => readOneClickBody(request),
    client: describeClient(request, context),
  });
  return text(outcome.status, outcome.body, outcome.status === 429 ? { 'Retry-After': '60' } : {});
}

/** GET never changes anything: link scanners and prefetchers follow every link in a message. */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/unsubscribe/${encodeURIComponent(params.token ?? '')}`, 303);
}

/**
 * Content-Length spares the response chunked encoding: fewer writes on the benchmarked path.
 * (server.js marks every /u/ answer `Cache-Control: no-store`.)
 */
function text(status: number, body: string, headers: Record<string, string> = {}) {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      ...headers,
    },
  });
}
