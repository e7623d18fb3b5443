/**
 * The console's first account (docs/decisions/010-admin-console.md). The password is hashed by
 * @herald/passwords, the package the sign-in page verifies with, so the two cannot disagree about
 * the format.
 */
import type { AdminRoleName } from '@herald/contract';
import type { Db } from '@herald/db';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '@herald/passwords';
import { randomBytes } from 'node:crypto';

export const DEMO_ADMIN_EMAIL = 'admin@example.com';

/** The demo's other accounts, `{role}@example.com`, one per role but owner (the admin is the owner). */
export const DEMO_ROLES = ['marketer', 'operator', 'support', 'viewer'] as const;

/**
 * Creates the admin (an owner unless `role` says otherwise), or sets its password and role when they
 * changed; idempotent. Returns what it did, and the
 * password when it generated one (demo mode without HERALD_ADMIN_PASSWORD), for the caller to print.
 */
export async function seedAdmin(
  db: Db,
  { email, password, role = 'owner' }: { email: string; password?: string | undefined; role?: AdminRoleName },
): Promise<{ email: string; action: 'created' | 'updated' | 'unchanged'; generatedPassword?: string }> {
  const address = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(address))
    throw new Error(`HERALD_ADMIN_EMAIL "${email}" is not an email address`);
  const generated = password ? undefined : randomBytes(12).toString('base64url');
  const chosen = password ?? (generated as string);
  if (chosen.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`HERALD_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const existing = await db.adminUser.findUnique({ where: { email: address } });
  if (existing && existing.role === role && (await verifyPassword(chosen, existing.passwordHash))) {
    return { email: address, action: 'unchanged' };
  }
  const passwordHash = await hashPassword(chosen);
  await db.adminUser.upsert({
    where: { email: address },
    create: { email: address, passwordHash, role },
    update: { passwordHash, role },
  });
  return {
    email: address,
    action: existing ? 'updated' : 'created',
    ...(generated && { generatedPassword: generated }),
  };
}
