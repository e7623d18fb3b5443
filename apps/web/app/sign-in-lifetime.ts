/** How long a sign-in link works; the page and the mail both say it. */
export const SIGN_IN_MINUTES = 15;
