import { signMessageToken, verifyMessageToken, type MessageTokenKind } from './message-token.js';
import type { SigningKey } from './signing-keys.js';

/*
 * The VERP token of the envelope sender `bounce+{token}@{MAIL_DOMAIN}`, version 1: the compact
 * message token of message-token.ts (48 characters, so `bounce+{token}` is 55 octets) with its own
 * version byte: the MAC covers it, so an unsubscribe token never passes as a bounce token, nor the
 * reverse (a bounce address must not unsubscribe anyone, and an unsubscribe address must not report
 * bounces).
 */
const BOUNCE_TOKEN: MessageTokenKind = {
  name: 'signBounceToken',
  version: 0x42,
  tagLabel: 'herald-bounce-kid',
};

/**
 * Names the message in its envelope sender, so a bounce report sent back to it identifies the
 * message even when the report quotes nothing of it. Signed, so a forged report cannot name one.
 */
export function signBounceToken(payload: { messageId: string }, keys: readonly SigningKey[]): string {
  return signMessageToken(BOUNCE_TOKEN, payload, keys);
}

export function verifyBounceToken(token: string, keys: readonly SigningKey[]) {
  return verifyMessageToken(BOUNCE_TOKEN, token, keys);
}

/**
 * `bounce+{token}@{mailDomain}` (in angle brackets or not, as in a Return-Path) → the token, or
 * null for any other address. Mail systems may change the case of an address, so the comparison
 * ignores case (the token is base32). The token still has to be verified.
 */
export function parseBounceAddress(address: string, mailDomain: string): string | null {
  const match = /^<?\s*bounce\+([a-z2-7]+)@([^\s>]+)\s*>?$/i.exec(address.trim());
  if (!match?.[1] || match[2]?.toLowerCase() !== mailDomain.toLowerCase()) return null;
  return match[1].toLowerCase();
}
