import { z } from 'zod';

/**
 * Settings that key a hash and whose development value is public (it is written here, in the
 * repository): anyone could recompute what a process keyed with it stored. Development and tests
 * may use it; a process with NODE_ENV=production refuses to start without a value of its own.
 */
const DEVELOPMENT_VALUES = {
  HERALD_IP_SALT: 'herald-ip-salt',
  HERALD_ADDRESS_HASH_KEY: 'herald-development-address-hash-key',
} as const;

export type ProductionSecret = keyof typeof DEVELOPMENT_VALUES;

/** At least this many characters in production: 32 random characters are out of reach of a search. */
const PRODUCTION_MIN_LENGTH = 32;

/** The setting's schema: any value of 8 characters or more, the public development value when unset. */
export const developmentSecret = (name: ProductionSecret) =>
  z.string().min(8, 'must be at least 8 characters').default(DEVELOPMENT_VALUES[name]);

/**
 * A refinement for a process's whole environment: with NODE_ENV=production, each named setting must
 * be set, to something other than its development value, with at least 32 characters. The issue names
 * the variable, so the process's start-up error says which one to set.
 */
export function requireProductionSecrets(names: readonly ProductionSecret[]) {
  return (
    env: { NODE_ENV: string } & Partial<Record<ProductionSecret, string>>,
    context: z.RefinementCtx,
  ): void => {
    if (env.NODE_ENV !== 'production') return;
    for (const name of names) {
      const value = env[name] ?? DEVELOPMENT_VALUES[name];
      if (value === DEVELOPMENT_VALUES[name]) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `is required when NODE_ENV=production: at least ${PRODUCTION_MIN_LENGTH} random characters (e.g. openssl rand -base64 32); the development value is public`,
        });
      } else if (value.length < PRODUCTION_MIN_LENGTH) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `must be at least ${PRODUCTION_MIN_LENGTH} characters when NODE_ENV=production (it has ${value.length})`,
        });
      }
    }
  };
}
