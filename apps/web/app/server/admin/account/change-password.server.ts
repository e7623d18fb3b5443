import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from '@herald/passwords';
import type { Client } from '../../client.server';
import { db } from '../../db.server';
import { endSessionsOf } from '../console-sessions.server';
import type { FormErrors } from '../form-errors.server';
import type { SignedInAdmin } from '../require-admin.server';
import { countSignInAttempt, forgiveSignInAttempt } from '../sign-in-limiter.server';
import { recordConsoleAudit } from '../record-audit.server';

export type ChangePasswordOutcome =
  | { kind: 'changed'; otherSessionsEnded: number }
  /** This session was ended meanwhile (sign out everywhere elsewhere): nothing was changed. */
  | { kind: 'signed-out' }
  | { kind: 'invalid'; status: 422 | 429; errors: FormErrors };

/**
 * The account page's password change: the current password, and the new one twice. The current
 * one is checked like a sign-in (counted by the sign-in limiter first, so a borrowed session cannot
 * guess it quickly). The new hash, the end of every other session of the account and the audit row
 * are one transaction, which first confirms this session still counts; this session stays signed in.
 */
export async function changePassword(
  admin: SignedInAdmin,
  form: FormData,
  client: Client,
): Promise<ChangePasswordOutcome> {
  const current = String(form.get('currentPassword') ?? '');
  const next = String(form.get('newPassword') ?? '');
  const repeated = String(form.get('repeatPassword') ?? '');
  const fields = checkNewPassword(current, next, repeated);
  if (Object.keys(fields).length > 0) return { kind: 'invalid', status: 422, errors: { fields } };

  const attempt = { ip: client.ip, email: admin.email };
  if ((await countSignInAttempt(attempt)).limited) {
    const message = 'Too many wrong passwords for this account. Wait 15 minutes, then try again.';
    return { kind: 'invalid', status: 429, errors: { fields: {}, form: message } };
  }
  const { passwordHash: stored } = await db.adminUser.findUniqueOrThrow({
    where: { id: admin.id },
    select: { passwordHash: true },
  });
  if (!(await verifyPassword(current, stored))) {
    const currentPassword = 'That is not your current password. Nothing was changed.';
    return { kind: 'invalid', status: 422, errors: { fields: { currentPassword } } };
  }
  await forgiveSignInAttempt(attempt);

  const passwordHash = await hashPassword(next);
  return db.$transaction(async (tx): Promise<ChangePasswordOutcome> => {
    const mine = await tx.adminSession.updateMany({
      where: { id: admin.session.id, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { lastSeenAt: new Date() },
    });
    if (mine.count === 0) return { kind: 'signed-out' };
    await tx.adminUser.update({ where: { id: admin.id }, data: { passwordHash } });
    const otherSessionsEnded = await endSessionsOf(tx, admin.id, admin.session.id);
    await recordConsoleAudit(tx, {
      actorEmail: admin.email,
      action: 'password.changed',
      targetId: admin.id,
      details: { otherSessionsEnded },
    });
    return { kind: 'changed', otherSessionsEnded };
  });
}

/** What is wrong with the form before any password is checked, by field. */
function checkNewPassword(current: string, next: string, repeated: string): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!current) fields.currentPassword = 'Enter your current password.';
  if (next.length < MIN_PASSWORD_LENGTH) {
    fields.newPassword = `Choose a new password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  } else if (next.length > MAX_PASSWORD_LENGTH) {
    fields.newPassword = `Choose a new password of at most ${MAX_PASSWORD_LENGTH} characters.`;
  } else if (next === current) {
    fields.newPassword = 'The new password is the one you have now: choose another.';
  } else if (repeated !== next) {
    fields.repeatPassword = 'The two new passwords differ: type the same one twice.';
  }
  return fields;
}
