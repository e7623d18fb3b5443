import { trimTrailingSlash } from './trim-trailing-slash.js';

export type PreferenceLinks = { unsubscribeUrl: string; preferencesUrl: string; oneClickUrl: string };

/** The links a message body and its headers point at, all carrying the same token. */
export function preferenceLinks(input: { publicWebUrl: string; token: string }): PreferenceLinks {
  const baseUrl = trimTrailingSlash(input.publicWebUrl);
  return {
    unsubscribeUrl: `${baseUrl}/unsubscribe/${input.token}`,
    preferencesUrl: `${baseUrl}/preferences/${input.token}`,
    oneClickUrl: `${baseUrl}/u/${input.token}`,
  };
}
