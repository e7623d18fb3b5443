import type { z } from 'zod';
import { PreferencesError } from './preferences-error.js';

/** Validates a domain function's options, turning a zod failure into a typed error. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
  throw new PreferencesError('invalid-input', `${what}: ${problems.join('; ')}`, {
    issues: result.error.issues,
  });
}
