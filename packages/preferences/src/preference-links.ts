type PreferenceLinks = { unsubscribeUrl: string; preferencesUrl: string; oneClickUrl: string };

/** The links a message body and its headers point at, all carrying the same token. */
export function preferenceLinks(input: { publicWebUrl: string; token: string }): PreferenceLinks {
  // Base URLs come from configuration with or without a final slash; links need neither doubled.
  const baseUrl = input.publicWebUrl.replace(/\/+$/, '');
  return {
    unsubscribeUrl: `${baseUrl}/unsubscribe/${input.token}`,
    preferencesUrl: `${baseUrl}/preferences/${input.token}`,
    oneClickUrl: `${baseUrl}/u/${input.token}`,
  };
}
