import { afterAll, beforeAll } from 'vitest';
import type { Scope } from '@herald/contract';
import { createPrismaClient, type Db } from '@herald/db';
import { createApiClient, startHerald, type ApiClient, type Herald } from '@herald/test-support';
import { randomBytes } from 'node:crypto';

export interface HeraldApi {
  herald: Herald;
  /** The test file's database, to look behind the API. */
  db: Db;
}

/** The built API process (no worker) for one test file, started before its tests and stopped after. */
export function useHeraldApi(env: Record<string, string> = {}): HeraldApi {
  const api = {} as HeraldApi;
  beforeAll(async () => {
    api.db = createPrismaClient({ databaseUrl: process.env.DATABASE_URL ?? '', maxConnections: 2 });
    api.herald = await startHerald({ workers: 0, env });
  }, 60_000);
  afterAll(async () => {
    await api.herald?.stop();
    await api.db?.$disconnect();
  });
  return api;
}

export interface ScopedKey {
  id: string;
  name: string;
  key: string;
  /** A client that calls the API with this key. */
  client: ApiClient;
}

/** A named key with `scopes`, created through the API with the bootstrap key, as an operator would. */
export async function createScopedKey(herald: Herald, scopes: Scope[], label = 'key'): Promise<ScopedKey> {
  const name = `${label}-${randomBytes(3).toString('hex')}`;
  const created = await herald.client.call('POST', '/v1/api-keys', { name, scopes });
  if (created.status !== 201) {
    throw new Error(`POST /v1/api-keys answered ${created.status}: ${JSON.stringify(created.body)}`);
  }
  const { id, key } = created.body as { id: string; key: string };
  return { id, name, key, client: createApiClient(herald.apiUrl, key) };
}

/** The API's answer to a key without `scope`. */
export const lacks = (scope: Scope) => ({
  error: { code: 'forbidden', message: `This key lacks the scope "${scope}".` },
});
