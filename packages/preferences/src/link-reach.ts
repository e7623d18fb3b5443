import { z } from 'zod';
import { TokenScopeSchema, type TokenScope } from './url-token.js';

/** Opting in through a link issued longer ago than this asks for a confirmation mail first. */
export const OPT_IN_LINK_MAX_AGE_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * The link a change came through, as the consent writers judge it (docs/decisions/014): a preference
 * link (what verifyToken read from the URL), or a confirmation link from the mail that confirms an
 * opt-in (it reaches every change it names).
 */
export const ConsentLinkSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('preference-link'),
    tokenEpoch: z.number().int().min(0),
    issuedAt: z.date().nullable(),
    scope: TokenScopeSchema,
  }),
  z.object({ kind: z.literal('confirmation'), tokenEpoch: z.number().int().min(0) }),
]);
export type ConsentLink = z.infer<typeof ConsentLinkSchema>;

/**
 * A link signed under an epoch below the contact's current one was revoked (POST
 * /v1/contacts/:id/revoke-links). It may still unsubscribe, which is harmless, but never subscribe
 * or show the preference center.
 */
export function isLinkRevoked(link: { tokenEpoch: number }, contactEpoch: number): boolean {
  return link.tokenEpoch < contactEpoch;
}

/**
 * Whether a link may opt its contact in to `target` at once. Unsubscribing never needs this: it is
 * always applied. A forwarded newsletter's link must not resubscribe its reader to everything forever,
 * so only a link at most OPT_IN_LINK_MAX_AGE_DAYS old may opt in, and only to what it was issued for:
 * its own category, or the "all marketing" switch for an all-promotional link. A version 1 link has
 * no issue time and counts as old.
 */
export function linkReachesOptIn(
  link: ConsentLink,
  target: { categoryKey: string | null },
  now: Date = new Date(),
): boolean {
  if (link.kind === 'confirmation') return true;
  if (link.issuedAt === null || now.getTime() - link.issuedAt.getTime() > OPT_IN_LINK_MAX_AGE_DAYS * DAY_MS) {
    return false;
  }
  return target.categoryKey === null
    ? link.scope.kind === 'all-promotional'
    : isCategoryScope(link.scope, target.categoryKey);
}

function isCategoryScope(scope: TokenScope, categoryKey: string): boolean {
  return scope.kind === 'category' && scope.categoryKey === categoryKey;
}

/** The consent writers' view of a verified preference link. */
export function preferenceLink(payload: {
  tokenEpoch: number;
  issuedAt: Date | null;
  scope: TokenScope;
}): ConsentLink {
  return {
    kind: 'preference-link',
    tokenEpoch: payload.tokenEpoch,
    issuedAt: payload.issuedAt,
    scope: payload.scope,
  };
}
