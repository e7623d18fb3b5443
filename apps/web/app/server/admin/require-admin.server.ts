import { redirect } from '@remix-run/node';
import { db } from '../db.server';
import { requireCsrf } from '../require-csrf.server';
import { readAdminSession } from './admin-session.server';

export type SignedInAdmin = { id: string; email: string; csrf: string };

/**
 * Every console loader and action starts here (Remix runs a page's loaders in parallel, so the
 * layout's check alone would not guard its children). Not signed in, or the account was removed
 * since: a redirect to the sign-in page, which comes back here afterwards.
 */
export async function requireAdmin(request: Request): Promise<SignedInAdmin> {
  const session = await readAdminSession(request);
  const admin = session?.adminId
    ? await db.adminUser.findUnique({ where: { id: session.adminId }, select: { id: true, email: true } })
    : null;
  if (!session || !admin) {
    const url = new URL(request.url);
    const back = url.pathname.replace(/\.data$/, '') + url.search;
    throw redirect(`/admin/sign-in?next=${encodeURIComponent(back)}`, 303);
  }
  return { ...admin, csrf: session.csrf };
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
