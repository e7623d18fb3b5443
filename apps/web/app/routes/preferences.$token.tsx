import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { PreferenceForm } from '~/components/preference-form';
import { pageTitle } from '~/i18n/page-title';
import { describeClient } from '~/server/client.server';
import { loadPreferenceCenter } from '~/server/load-preference-center.server';
import { preferenceLink } from '@herald/preferences';
import { linkNoLongerValid, requireLinkToken } from '~/server/require-link-token.server';
import { savePreferenceCenter } from '~/server/save-preference-center.server';

export const meta = pageTitle('preferences.meta');

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const payload = await requireLinkToken(params.token, describeClient(request, context));
  return (await loadPreferenceCenter(payload.contactId, request, payload)) ?? linkNoLongerValid();
}

/**
 * The token reaches the whole preference center of its own contact, and nothing else. Unsubscribing
 * applies at once; opting in only to the link's own category while the link is at most 90 days old,
 * anything else after a confirmation by mail (docs/decisions/014). A revoked link gets the 400 page.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const client = describeClient(request, context);
  const payload = await requireLinkToken(params.token, client);
  if (!(await loadPreferenceCenter(payload.contactId, request, payload))) linkNoLongerValid();
  return savePreferenceCenter({
    contactId: payload.contactId,
    form: await request.formData(),
    source: 'preference-center',
    ...(payload.messageId ? { messageId: payload.messageId } : {}),
    link: preferenceLink(payload),
    client,
  });
}

export default function PreferenceCenterPage() {
  const center = useLoaderData<typeof loader>();
  const saved = useActionData<typeof action>();
  return (
    <PreferenceForm
      maskedAddress={center.maskedAddress}
      preferences={center.preferences}
      saved={saved?.changed}
      pending={saved}
    />
  );
}
