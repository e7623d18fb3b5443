import { decoyHash, MAX_PASSWORD_LENGTH, verifyPassword } from '@herald/passwords';
import { z } from 'zod';
import type { Client } from '../client.server';
import { db } from '../db.server';
import { countSignInAttempt, forgiveSignInAttempt } from './sign-in-limiter.server';

export const SignInFormSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});

export type SignInResult = { ok: true; adminId: string } | { ok: false; reason: 'invalid' | 'limited' };

/**
 * Checks a console sign-in. Unknown address and wrong password are one answer, and an unknown
 * address is checked against a decoy hash, so neither the page nor its timing tells which
 * addresses have accounts. The attempt is counted before anything is checked, and over the limit
 * nothing is checked at all.
 */
export async function signInAdmin(form: FormData, client: Client): Promise<SignInResult> {
  const parsed = SignInFormSchema.safeParse({ email: form.get('email'), password: form.get('password') });
  const email = parsed.success ? parsed.data.email : '';
  const attempt = { ip: client.ip, email };
  if ((await countSignInAttempt(attempt)).limited) return { ok: false, reason: 'limited' };

  const admin = email ? await db.adminUser.findUnique({ where: { email } }) : null;
  const password = parsed.success ? parsed.data.password : '';
  const matches = await verifyPassword(password, admin?.passwordHash ?? (await decoyHash()));
  // A deactivated account answers as a wrong password does: the page tells nobody which accounts exist.
  if (!admin || !matches || admin.deactivatedAt) return { ok: false, reason: 'invalid' };
  await forgiveSignInAttempt(attempt);
  await db.adminUser.update({ where: { id: admin.id }, data: { lastSignInAt: new Date() } });
  return { ok: true, adminId: admin.id };
}
