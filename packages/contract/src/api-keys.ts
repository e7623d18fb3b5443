import { z } from 'zod';
import { SCOPES, type Scope } from './scopes.js';

export const CreateApiKeySchema = z.strictObject({
  /** Who or what holds the key ("billing-service"): shown in lists and written as the audit log's actor. */
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(/^[\w .@:-]+$/, 'letters, digits, spaces and . _ @ : - only'),
  scopes: z
    .array(z.enum(SCOPES, { error: `must be one of: ${SCOPES.join(', ')}` }))
    .min(1, 'must name at least one scope')
    .refine((scopes) => new Set(scopes).size === scopes.length, { message: 'must not repeat a scope' }),
});
export type CreateApiKeyInput = z.output<typeof CreateApiKeySchema>;

/** A key as lists show it: never the key itself, only its first characters. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** The key's first 8 characters, to tell keys apart. */
  prefix: string;
  scopes: Scope[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer to POST /v1/api-keys: the only time the key itself is shown. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}
