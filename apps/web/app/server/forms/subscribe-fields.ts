/** How long a confirmation link works. */
export const CONFIRM_DAYS = 7;
/** The hidden field people leave empty and simple bots fill. */
export const HONEYPOT_FIELD = 'website';
/** The hidden field holding the page's signed fill-start stamp. */
export const STAMP_FIELD = 'started';
