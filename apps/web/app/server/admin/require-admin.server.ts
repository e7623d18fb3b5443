import { type AdminRoleName, roleAllows, type Scope } from '@herald/contract';
import { data, redirect } from '@remix-run/node';
import { requireCsrf } from '../require-csrf.server';
import { clearAdminCookie, readAdminCookie } from './admin-session.server';
import { findLiveSession, markSessionSeen } from './console-sessions.server';

/**
 * Who is signed in, and the session they are signed in with: the API client calls the API with it
 * (`Authorization: Console …`), so the API acts as this person. `session.secret` is as secret as the
 * cookie: a loader returns the fields a page shows, never this object.
 */
export type SignedInAdmin = {
  id: string;
  email: string;
  role: AdminRoleName;
  csrf: string;
  session: { id: string; secret: string };
};

/**
 * Every console loader and action starts here (Remix runs a page's loaders in parallel, so the
 * layout's check alone would not guard its children). The cookie's session is looked up on every
 * request: not signed in, or a session that was ended (sign-out, "sign out everywhere", a password
 * change) or has expired, is a redirect to the sign-in page, which comes back here afterwards. A
 * dead session's cookie is removed on the way.
 */
export async function requireAdmin(request: Request): Promise<SignedInAdmin> {
  const cookie = await readAdminCookie(request);
  const session = cookie?.secret ? await findLiveSession(cookie.secret) : null;
  if (!cookie || !session) {
    const url = new URL(request.url);
    const back = url.pathname.replace(/\.data$/, '') + url.search;
    throw redirect(`/admin/sign-in?next=${encodeURIComponent(back)}`, {
      status: 303,
      ...(cookie?.secret && { headers: { 'Set-Cookie': await clearAdminCookie() } }),
    });
  }
  await markSessionSeen(session);
  return { ...session.adminUser, csrf: cookie.csrf, session: { id: session.id, secret: session.secret } };
}

/** A console form post: signed in, and carrying the session's CSRF token (403 otherwise). */
export async function requireAdminForm(request: Request): Promise<{ admin: SignedInAdmin; form: FormData }> {
  const admin = await requireAdmin(request);
  const form = await request.formData();
  requireCsrf(admin, form);
  return { admin, form };
}

/** Where to go after signing in: only a console path of this site, never another origin. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(\/|$|\?)/.test(next) && !next.includes('\\') ? next : '/admin';
}

/**
 * What a console page needs of the person's role (docs/decisions/016-console-roles.md): the API
 * scope behind it, and whether it changes something. Every loader and action calls this after
 * requireAdmin, since a hidden button stops nobody: a role without it gets the 403 page, and nothing
 * is changed. The API checks the same table again on every call the console makes.
 */
export type ConsolePower = { scope: Scope | readonly Scope[]; change: boolean };

/** Whether the role has the power: any of the scopes it names (as the API's narrower scopes admit). */
export function can(admin: Pick<SignedInAdmin, 'role'>, power: ConsolePower): boolean {
  const scopes = typeof power.scope === 'string' ? [power.scope] : power.scope;
  return scopes.some((scope) => roleAllows(admin.role, scope, power.change));
}

export function requirePower(admin: SignedInAdmin, power: ConsolePower): void {
  if (!can(admin, power)) throw data({ refused: 'role' }, { status: 403 });
}

/** requireAdmin, then requirePower: a page's loader. */
export async function requireAdminWith(request: Request, power: ConsolePower): Promise<SignedInAdmin> {
  const admin = await requireAdmin(request);
  requirePower(admin, power);
  return admin;
}

/** requireAdminForm, then requirePower (checked before the form is read further). */
export async function requireAdminFormWith(
  request: Request,
  power: ConsolePower,
): Promise<{ admin: SignedInAdmin; form: FormData }> {
  const admin = await requireAdmin(request);
  requirePower(admin, power);
  const form = await request.formData();
  requireCsrf(admin, form);
  return { admin, form };
}
