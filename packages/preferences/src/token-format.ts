/*
 * The URL token, version 1, before base64url:
 *
 *   version (1) | kid length (1) | kid (1-8, ASCII) | contact id (16)
 *   | scope (1: 0 = all promotional, else the category key's length) | category key (0-255, UTF-8)
 *   | message id (16, optional) | MAC (16)
 *
 * The MAC is HMAC-SHA256 over every byte before it, truncated to 128 bits. Whether a
 * message id is present follows from the length, so it costs no flag byte.
 */
export const URL_TOKEN_VERSION = 0x01;
export const URL_TOKEN_MAC_LENGTH = 16;
export const UUID_LENGTH = 16;
export const MAX_CATEGORY_KEY_BYTES = 255;

/*
 * The mailto token, version 1, before lowercase base32:
 *
 *   version (1) | key tag (1) | message id (16) | MAC (12)
 *
 * 30 bytes make exactly 48 base32 characters, so `unsubscribe+{token}` is 60 octets,
 * inside RFC 5321's 64. A whole key id does not fit beside a 96-bit MAC, so the token
 * carries a one-byte tag of it (see mailtoKeyTag); a verifier tries each key with that tag.
 * The version byte differs from the URL token's, so one form's MAC can never pass as the other's.
 */
export const MAILTO_TOKEN_VERSION = 0x41;
export const MAILTO_TOKEN_MAC_LENGTH = 12;
export const MAILTO_TOKEN_LENGTH = 2 + UUID_LENGTH + MAILTO_TOKEN_MAC_LENGTH;
