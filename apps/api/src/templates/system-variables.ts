/** The variables Herald supplies to every template; a template's own data may not define them. */
export interface SystemVariables {
  name: string;
  email: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
  postalAddress: string;
  messageId: string;
}

export const SYSTEM_VARIABLE_NAMES = [
  'name',
  'email',
  'unsubscribeUrl',
  'preferencesUrl',
  'postalAddress',
  'messageId',
] as const;

/** Sample values for previews and for checking a send request's data before it is queued. */
export function sampleSystemVariables({
  publicWebUrl,
  postalAddress,
}: {
  publicWebUrl: string;
  postalAddress: string;
}): SystemVariables {
  return {
    name: 'Alex Example',
    email: 'alex@example.com',
    unsubscribeUrl: `${publicWebUrl}/unsubscribe/preview`,
    preferencesUrl: `${publicWebUrl}/preferences/preview`,
    postalAddress,
    messageId: '00000000-0000-7000-8000-000000000000',
  };
}
