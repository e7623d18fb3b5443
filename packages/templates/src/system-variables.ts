import { z } from 'zod';

/**
 * Supplied by the sender for every recipient, so every template may use them and no template's
 * data schema may define them (the sender's values would silently win, or lose, otherwise). The
 * worker fills all of them for every message: `name` falls back to the address's local part, and
 * `unsubscribeUrl` is there even for required categories, whose templates may not link to it.
 */
export const SYSTEM_VARIABLES = [
  'name',
  'email',
  'unsubscribeUrl',
  'preferencesUrl',
  'postalAddress',
  'messageId',
] as const;

export type SystemVariableName = (typeof SYSTEM_VARIABLES)[number];

export const SystemVariablesSchema = z.object({
  name: z.string(),
  email: z.string(),
  unsubscribeUrl: z.string(),
  preferencesUrl: z.string(),
  postalAddress: z.string(),
  messageId: z.string(),
});

export type SystemVariables = z.infer<typeof SystemVariablesSchema>;

const systemVariableNames: ReadonlySet<string> = new Set(SYSTEM_VARIABLES);

export function isSystemVariable(name: string): boolean {
  return systemVariableNames.has(name);
}

/** Placeholder recipient for previews and tests; never used for real mail. */
export const exampleSystemVariables: SystemVariables = {
  name: 'Alex Example',
  email: 'alex@example.com',
  unsubscribeUrl: 'https://example.com/u/preview-token',
  preferencesUrl: 'https://example.com/preferences/preview-token',
  postalAddress: 'Example Inc., 1 Example Street, Springfield 12345',
  messageId: '00000000-0000-4000-8000-000000000000',
};

/**
 * Sample values for previews and for checking a template or a send request's data before anything
 * is queued: the links point at the real web app, so a preview's footer shows where they lead.
 */
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
