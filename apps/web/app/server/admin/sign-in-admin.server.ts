import { decoyHash, verifyPassword } from '@herald/passwords';
import { z } from 'zod';
import type { Client } from '../client.server';
import { db } from '../db.server';
import { isSignInLimited, recordSignInFailure } from './sign-in-limiter.server';

export const SignInFormSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1024),
});

export type SignInResult = { ok: true; adminId: string } | { ok: false; reason: 'invalid' | 'limited' };

/**
 * Checks a console sign-in. Unknown address and wrong password are one answer, and an unknown
 * address is checked against a decoy hash, so neither the page nor its timing tells which
 * addresses have accounts. Over the failure limit nothing is checked at all.
 */
export async function signInAdmin(form: FormData, client: Client): Promise<SignInResult> {
  const parsed = SignInFormSchema.safeParse({ email: form.get('email'), password: form.get('password') });
  const email = parsed.success ? parsed.data.email : '';
  const attempt = { ipHash: client.ipHash, email };
  if (await isSignInLimited(attempt)) return { ok: false, reason: 'limited' };

  const admin = email ? await db.adminUser.findUnique({ where: { email } }) : null;
  const password = parsed.success ? parsed.data.password : '';
  const matches = await verifyPassword(password, admin?.passwordHash ?? (await decoyHash()));
  if (!admin || !matches) {
    await recordSignInFailure(attempt);
    return { ok: false, reason: 'invalid' };
  }
  await db.adminUser.update({ where: { id: admin.id }, data: { lastSignInAt: new Date() } });
  return { ok: true, adminId: admin.id };
}
