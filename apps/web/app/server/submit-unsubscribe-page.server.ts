import {
  applyUnsubscribe,
  preferenceLink,
  updatePreferences,
  waitForInFlightDeliveries,
  type VerifiedTokenPayload,
} from '@herald/preferences';
import type { Client } from './client.server';
import { db } from './db.server';
import type { UnsubscribeTarget } from './load-unsubscribe-page.server';
import { sendOptInConfirmation } from './send-opt-in-confirmation.server';

/**
 * What the page shows after the button: which scopes changed ("category", "all-marketing"); for an
 * undo, also the scopes waiting for a confirmation by mail (`confirmation`, with whether the mail
 * went) and those this link can no longer turn on (`refused`: a revoked link).
 */
export type UnsubscribeOutcome = {
  result: 'unsubscribed' | 'resubscribed';
  changed: UndoScope[];
  confirmation?: { scopes: UndoScope[]; sent: boolean } | null;
  refused?: UndoScope[];
};
export type UndoScope = 'category' | 'all-marketing';

/**
 * The page's two buttons. "Unsubscribe" uses applyUnsubscribe (source unsubscribe-page) for the
 * token's category and, when chosen, all marketing, in one transaction: any link may unsubscribe,
 * even a revoked one. "Undo" resubscribes only within what the token reaches, through
 * updatePreferences, so the undo is logged too; it is an opt-in, so what the link cannot make by
 * itself (its category after 90 days, all marketing through a category link) waits for a
 * confirmation by mail, and a revoked link makes none (docs/decisions/014).
 */
export async function submitUnsubscribePage(input: {
  payload: VerifiedTokenPayload;
  target: UnsubscribeTarget;
  form: FormData;
  client: Client;
}): Promise<UnsubscribeOutcome> {
  const { payload, target, form, client } = input;
  const context = {
    contactId: payload.contactId,
    ...(payload.messageId ? { messageId: payload.messageId } : {}),
    ...(client.userAgent ? { userAgent: client.userAgent } : {}),
    ipHash: client.ipHash,
    requestedAt: client.receivedAt,
  };
  const categoryKey = target.kind === 'category' && !target.required ? target.key : null;

  if (form.get('intent') === 'undo') {
    const scopes = form.getAll('undo').map(String);
    const changes = categoryKey && scopes.includes('category') ? [{ categoryKey, subscribed: true }] : [];
    const result = await updatePreferences(db, {
      ...context,
      changes,
      ...(scopes.includes('all-marketing') ? { allPromotional: true } : {}),
      source: 'unsubscribe-page',
      link: preferenceLink(payload),
    });
    const confirmation =
      result.needsConfirmation.length > 0
        ? {
            scopes: result.needsConfirmation.map(toScope),
            ...(await sendOptInConfirmation({
              contactId: payload.contactId,
              changes: result.needsConfirmation,
            })),
          }
        : null;
    return {
      result: 'resubscribed',
      changed: result.changed.map(toScope),
      confirmation,
      refused: result.refused.map(toScope),
    };
  }

  const allMarketing = target.kind === 'all-promotional' || form.get('allMarketing') === 'on';
  const changed = await db.$transaction(async (tx) => {
    const done: UndoScope[] = [];
    if (categoryKey) {
      const result = await applyUnsubscribe(tx, {
        ...context,
        scope: { kind: 'category', categoryKey },
        source: 'unsubscribe-page',
      });
      if (result.changed.length > 0) done.push('category');
    }
    if (allMarketing) {
      const result = await applyUnsubscribe(tx, {
        ...context,
        scope: { kind: 'all-promotional' },
        source: 'unsubscribe-page',
      });
      if (result.changed.length > 0) done.push('all-marketing');
    }
    return done;
  });
  // After the commit, as every opt-out: a send that read the old consent finishes before the page answers.
  await waitForInFlightDeliveries(db, { contactId: payload.contactId });
  return { result: 'unsubscribed', changed };
}

const toScope = (change: { categoryKey: string | null }): UndoScope =>
  change.categoryKey === null ? 'all-marketing' : 'category';
