import { webEnv } from './env.server';

/**
 * The key the web app's own calls send (sign-in mail, a contact's notices, the public policy page):
 * HERALD_WEB_API_KEY, which the API gives only those scopes. A web app configured with the API's
 * bootstrap key alone still works, and says at start that a public server holds the key to everything.
 */
export const webApiKey: string = webEnv.HERALD_WEB_API_KEY ?? webEnv.HERALD_API_KEY ?? '';

if (!webEnv.HERALD_WEB_API_KEY) {
  console.warn(
    'herald web: warning: HERALD_WEB_API_KEY is not set, so the web app calls the API with HERALD_API_KEY, ' +
      'which can do everything. Set HERALD_WEB_API_KEY (the same value on the API) to give it only what it needs.',
  );
}
