import type { z } from 'zod';
import { DomainError } from './domain-error.js';

/** Parses a request body, query or path parameter; every problem is named with its path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message:
      issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  const first = details[0];
  const message = first
    ? `Invalid request ${where}: ${first.path ? `${first.path}: ` : ''}${first.message}`
    : `Invalid request ${where}.`;
  throw new DomainError('invalid_request', message, details);
}
