import type { ApiKeyView, Scope } from '@herald/contract';
import type { ApiKey } from '@herald/db';

/** A key as the API shows it: never the key, never its hash. */
export const toApiKeyView = (key: ApiKey): ApiKeyView => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes as Scope[],
  createdBy: key.createdBy,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});
