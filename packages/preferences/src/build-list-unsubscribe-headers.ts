import { preferenceLinks } from './preference-links.js';

type ListUnsubscribeHeadersInput = {
  publicWebUrl: string;
  mailDomain: string;
  categoryKey: string;
  campaignId?: string;
  token: string;
  mailtoToken: string;
};

/**
 * The RFC 2369 / RFC 8058 headers of promotional and optional-transactional mail.
 * List-Unsubscribe is one header holding both URIs, https first: Gmail reads only one.
 */
export function buildListUnsubscribeHeaders(input: ListUnsubscribeHeadersInput): Record<string, string> {
  const { oneClickUrl } = preferenceLinks({ publicWebUrl: input.publicWebUrl, token: input.token });
  return {
    'List-Unsubscribe': `<${oneClickUrl}>, <mailto:unsubscribe+${input.mailtoToken}@${input.mailDomain}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `<${input.categoryKey}.${input.mailDomain}>`,
    'Feedback-ID': `${input.campaignId ?? 'tx'}:${input.categoryKey}:herald`,
  };
}
