import { signMessageToken, verifyMessageToken, type MessageTokenKind } from './message-token.js';
import type { SigningKey } from './signing-keys.js';

/*
 * The mailto token, version 1: the compact message token of message-token.ts, so
 * `unsubscribe+{token}` is 60 octets, inside RFC 5321's 64. Its version byte differs from the URL
 * token's and the bounce token's, so one form's MAC can never pass as another's.
 */
const MAILTO_TOKEN: MessageTokenKind = {
  name: 'signMailtoToken',
  version: 0x41,
  tagLabel: 'herald-mailto-kid',
};

/**
 * The compact, case-insensitive form of an unsubscribe capability for
 * `mailto:unsubscribe+{token}@…`. It names only the message; the caller resolves the
 * contact and category from the message row.
 */
export function signMailtoToken(payload: { messageId: string }, keys: readonly SigningKey[]): string {
  return signMessageToken(MAILTO_TOKEN, payload, keys);
}

export function verifyMailtoToken(token: string, keys: readonly SigningKey[]) {
  return verifyMessageToken(MAILTO_TOKEN, token, keys);
}
