/**
 * How long a console password may be: at least 12 characters (what the seed asks of
 * HERALD_ADMIN_PASSWORD and the console's change-password form of a new one), at most 1024 (scrypt
 * reads all of it, so a longer one would only cost the server time).
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
