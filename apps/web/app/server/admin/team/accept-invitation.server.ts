import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@herald/passwords';
import { Prisma } from '@herald/db';
import { db } from '../../db.server';
import type { FormErrors } from '../form-errors.server';
import { recordConsoleAudit } from '../record-audit.server';
import { hashInvitationToken } from './team.server';

/** An invitation's link as its page shows it: only one that still works names its address. */
export async function readInvitation(token: string) {
  const invitation = await db.adminInvitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    select: { email: true, role: true, acceptedAt: true, revokedAt: true, expiresAt: true },
  });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) {
    return null;
  }
  return { email: invitation.email, role: invitation.role };
}

export type AcceptOutcome =
  | { kind: 'accepted'; email: string }
  | { kind: 'gone' }
  | { kind: 'invalid'; errors: FormErrors };

/**
 * Sets the password and makes the account, once: the invitation is taken with a conditional UPDATE
 * (not accepted, not revoked, not expired), so two posts of the same link make one account, and the
 * account and its audit row are in that transaction.
 */
export async function acceptInvitation(token: string, form: FormData): Promise<AcceptOutcome> {
  const password = String(form.get('password') ?? '');
  const repeated = String(form.get('repeatPassword') ?? '');
  const fields: Record<string, string> = {};
  if (password.length < MIN_PASSWORD_LENGTH) {
    fields.password = `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  } else if (password.length > MAX_PASSWORD_LENGTH) {
    fields.password = `Choose a password of at most ${MAX_PASSWORD_LENGTH} characters.`;
  } else if (repeated !== password) {
    fields.repeatPassword = 'The two passwords differ: type the same one twice.';
  }
  if (Object.keys(fields).length > 0) return { kind: 'invalid', errors: { fields } };
  const passwordHash = await hashPassword(password);
  try {
    return await db.$transaction(async (tx): Promise<AcceptOutcome> => {
      const taken = await tx.$queryRaw<{ id: string; email: string; role: string; invited_by: string }[]>`
        UPDATE admin_invitations SET accepted_at = now()
         WHERE token_hash = ${hashInvitationToken(token)}
           AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING id::text, email, role::text, invited_by`;
      const invitation = taken[0];
      if (!invitation) return { kind: 'gone' };
      const account = await tx.adminUser.create({
        data: { email: invitation.email, passwordHash, role: invitation.role as never },
      });
      await recordConsoleAudit(tx, {
        actorEmail: invitation.email,
        action: 'account.created',
        targetId: account.id,
        details: { role: invitation.role, invitation: invitation.id, invitedBy: invitation.invited_by },
      });
      return { kind: 'accepted', email: invitation.email };
    });
  } catch (error) {
    // The address got an account meanwhile (another invitation accepted first): this link is spent.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      return { kind: 'gone' };
    throw error;
  }
}
