import { ADMIN_ROLES, type AdminRoleName, IdSchema } from '@herald/contract';
import { type Prisma, type Tx } from '@herald/db';
import { createHash, randomBytes } from 'node:crypto';
import { db } from '../../db.server';
import { webEnv } from '../../env.server';
import { callApiAs } from '../api-client.server';
import { endSessionsOf } from '../console-sessions.server';
import { recordConsoleAudit } from '../record-audit.server';
import type { FormErrors } from '../form-errors.server';
import type { SignedInAdmin } from '../require-admin.server';

/** How long an invitation's link works. */
export const INVITATION_HOURS = 72;

export const hashInvitationToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Every account and the invitations still open, for the team page. */
export async function loadTeam() {
  const [accounts, invitations] = await Promise.all([
    db.adminUser.findMany({
      orderBy: { email: 'asc' },
      select: { id: true, email: true, role: true, deactivatedAt: true, lastSignInAt: true, createdAt: true },
    }),
    db.adminInvitation.findMany({
      where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: 'desc' },
      select: { id: true, email: true, role: true, invitedBy: true, createdAt: true, expiresAt: true },
    }),
  ]);
  return {
    accounts: accounts.map((account) => ({
      ...account,
      deactivatedAt: account.deactivatedAt?.toISOString() ?? null,
      lastSignInAt: account.lastSignInAt?.toISOString() ?? null,
      createdAt: account.createdAt.toISOString(),
    })),
    invitations: invitations.map((invitation) => ({
      ...invitation,
      createdAt: invitation.createdAt.toISOString(),
      expiresAt: invitation.expiresAt.toISOString(),
    })),
  };
}

export type TeamOutcome =
  | { kind: 'done'; redirectTo: string }
  | {
      kind: 'invalid';
      status: 404 | 409 | 422 | 502;
      intent: string;
      errors: FormErrors;
      values?: Record<string, string>;
    };

const audit = (
  tx: Tx,
  admin: SignedInAdmin,
  action: string,
  targetId: string,
  details: Prisma.InputJsonObject,
) => recordConsoleAudit(tx, { actorEmail: admin.email, action, targetId, details });

const isRole = (value: unknown): value is AdminRoleName =>
  typeof value === 'string' && (ADMIN_ROLES as readonly string[]).includes(value);

/**
 * An owner's change to the team. Each is one transaction with its audit row; none may leave the
 * console without an active owner (the rows of the active owners are locked first, so two owners
 * demoting each other at once cannot both succeed).
 */
export async function submitTeamAction(admin: SignedInAdmin, form: FormData): Promise<TeamOutcome> {
  const intent = String(form.get('intent') ?? '');
  if (intent === 'invite') return invite(admin, form);
  const id = String(form.get('id') ?? '');
  if (intent === 'revoke-invitation') {
    const revoked = await db.$transaction(async (tx) => {
      const changed = await tx.adminInvitation.updateMany({
        where: { id: uuidOrNil(id), acceptedAt: null, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (changed.count > 0) await audit(tx, admin, 'account.invitation-revoked', id, {});
      return changed.count;
    });
    if (revoked === 0) return notFound(intent, 'That invitation was accepted, revoked or never existed.');
    return { kind: 'done', redirectTo: '/admin/team?done=revoked' };
  }
  if (intent === 'role' || intent === 'deactivate' || intent === 'reactivate') {
    const role = form.get('role');
    if (intent === 'role' && !isRole(role)) {
      return {
        kind: 'invalid',
        status: 422,
        intent,
        errors: { fields: {}, form: `Choose a role: ${ADMIN_ROLES.join(', ')}.` },
      };
    }
    return db.$transaction(async (tx): Promise<TeamOutcome> => {
      const owners = await tx.$queryRaw<{ id: string }[]>`
        SELECT id::text FROM admin_users WHERE role = 'owner' AND deactivated_at IS NULL FOR UPDATE`;
      const target = await tx.adminUser.findUnique({ where: { id: uuidOrNil(id) } });
      if (!target) return notFound(intent, 'No such account.');
      const losesOwner =
        target.role === 'owner' && !target.deactivatedAt && (intent === 'deactivate' || role !== 'owner');
      if (losesOwner && owners.length <= 1) {
        return {
          kind: 'invalid',
          status: 409,
          intent,
          errors: {
            fields: {},
            form: `${target.email} is the only active owner: make another owner first. Nothing was changed.`,
          },
        };
      }
      if (intent === 'role' && isRole(role)) {
        if (role === target.role) return { kind: 'done', redirectTo: '/admin/team' };
        await tx.adminUser.update({ where: { id: target.id }, data: { role } });
        await audit(tx, admin, 'account.role-changed', target.id, {
          email: target.email,
          from: target.role,
          to: role,
        });
        return { kind: 'done', redirectTo: '/admin/team?done=role' };
      }
      if (intent === 'deactivate') {
        if (target.deactivatedAt) return { kind: 'done', redirectTo: '/admin/team' };
        await tx.adminUser.update({ where: { id: target.id }, data: { deactivatedAt: new Date() } });
        const sessionsEnded = await endSessionsOf(tx, target.id);
        await audit(tx, admin, 'account.deactivated', target.id, { email: target.email, sessionsEnded });
        return { kind: 'done', redirectTo: '/admin/team?done=deactivated' };
      }
      if (!target.deactivatedAt) return { kind: 'done', redirectTo: '/admin/team' };
      await tx.adminUser.update({ where: { id: target.id }, data: { deactivatedAt: null } });
      await audit(tx, admin, 'account.reactivated', target.id, { email: target.email });
      return { kind: 'done', redirectTo: '/admin/team?done=reactivated' };
    });
  }
  return { kind: 'invalid', status: 422, intent, errors: { fields: {}, form: 'Unknown action.' } };
}

const notFound = (intent: string, message: string): TeamOutcome => ({
  kind: 'invalid',
  status: 404,
  intent,
  errors: { fields: {}, form: message },
});

/** A form's id as a uuid the query can take; anything else matches no row. */
const uuidOrNil = (value: string) =>
  IdSchema.safeParse(value).success ? value : '00000000-0000-0000-0000-000000000000';

/**
 * Invites a person: the invitation (a newer one replaces an open one to the same address) and its
 * audit row in one transaction, then the required `console-invitation` email through the API as
 * this owner. A mail the API refuses leaves the invitation revoked, so no link works that nobody got.
 */
async function invite(admin: SignedInAdmin, form: FormData): Promise<TeamOutcome> {
  const email = String(form.get('email') ?? '')
    .trim()
    .toLowerCase();
  const role = form.get('role');
  const values = { email, role: String(role ?? '') };
  const fields: Record<string, string> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    fields.email = 'Enter the person’s email address.';
  if (!isRole(role)) fields.role = `Choose a role: ${ADMIN_ROLES.join(', ')}.`;
  if (Object.keys(fields).length > 0 || !isRole(role)) {
    return { kind: 'invalid', status: 422, intent: 'invite', errors: { fields }, values };
  }
  if (await db.adminUser.findUnique({ where: { email }, select: { id: true } })) {
    return {
      kind: 'invalid',
      status: 409,
      intent: 'invite',
      errors: {
        fields: { email: `${email} already has an account: change its role or reactivate it below.` },
      },
      values,
    };
  }
  const token = randomBytes(32).toString('base64url');
  const invitation = await db.$transaction(async (tx) => {
    await tx.adminInvitation.updateMany({
      where: { email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const created = await tx.adminInvitation.create({
      data: {
        email,
        role,
        tokenHash: hashInvitationToken(token),
        invitedBy: `admin:${admin.email}`,
        expiresAt: new Date(Date.now() + INVITATION_HOURS * 3_600_000),
      },
    });
    await audit(tx, admin, 'account.invited', created.id, { email, role });
    return created;
  });
  const acceptUrl = `${webEnv.PUBLIC_WEB_URL.replace(/\/+$/, '')}/admin/invitation/${token}`;
  const sent = await callApiAs(admin, 'POST', '/v1/messages', {
    template: 'console-invitation',
    to: { email },
    data: { inviterEmail: admin.email, role, acceptUrl, expiresInHours: INVITATION_HOURS },
    idempotencyKey: `console-invitation:${invitation.id}`,
  });
  if (!sent.ok) {
    await db.$transaction(async (tx) => {
      await tx.adminInvitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() } });
      await audit(tx, admin, 'account.invitation-revoked', invitation.id, { email, why: 'email not sent' });
    });
    return {
      kind: 'invalid',
      status: 502,
      intent: 'invite',
      errors: {
        fields: {},
        form: `The invitation email could not be sent (${sent.problem.message}). Nothing was sent; try again.`,
      },
      values,
    };
  }
  return { kind: 'done', redirectTo: `/admin/team?done=invited` };
}
