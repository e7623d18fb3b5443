import { describe, expect, it } from 'vitest';
import { createApiClient } from '@herald/test-support';
import { createHash, randomBytes } from 'node:crypto';
import { createScopedKey, lacks, useHeraldApi } from './support/scoped-keys.js';

/**
 * Named API keys: stored only as SHA-256 hashes, limited to their scopes (403 and nothing changed
 * otherwise), revocable (401 from then on), with their use recorded at most once a minute, and
 * every creation and revocation in the audit log. HERALD_API_KEY keeps every scope.
 */
const api = useHeraldApi();

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const uniqueEmail = () => `keys-${randomBytes(5).toString('hex')}@example.test`;

describe('POST /v1/api-keys', () => {
  it('shows the key once and keeps only its hash and its first 8 characters', async () => {
    const response = await api.herald.client.call('POST', '/v1/api-keys', {
      name: 'billing-service',
      scopes: ['messages:send', 'messages:read'],
    });
    expect(response.status).toBe(201);
    const { key, ...view } = response.body;
    expect(key).toMatch(/^hk_[\w-]{43}$/);
    expect(view).toEqual({
      id: expect.any(String),
      name: 'billing-service',
      prefix: key.slice(0, 8),
      scopes: ['messages:send', 'messages:read'],
      createdBy: 'bootstrap-key',
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
    const row = await api.db.apiKey.findUniqueOrThrow({ where: { id: view.id } });
    expect(row.keyHash).toBe(sha256(key));
    expect(JSON.stringify(row)).not.toContain(key);

    const listed = await api.herald.client.call('GET', '/v1/api-keys');
    const entry = listed.body.apiKeys.find((k: { id: string }) => k.id === view.id);
    expect(entry).toEqual(view);
    expect(JSON.stringify(listed.body)).not.toContain(key);
  });

  it('refuses an unknown scope, no scope and a repeated one, naming the problem', async () => {
    const unknown = await api.herald.client.call('POST', '/v1/api-keys', {
      name: 'x',
      scopes: ['everything'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('scopes.0: must be one of: messages:send');
    const none = await api.herald.client.call('POST', '/v1/api-keys', { name: 'x', scopes: [] });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('must name at least one scope');
    const twice = await api.herald.client.call('POST', '/v1/api-keys', {
      name: 'x',
      scopes: ['campaigns', 'campaigns'],
    });
    expect(twice.status).toBe(400);
    expect(await api.db.apiKey.count({ where: { name: 'x' } })).toBe(0);
  });
});

describe('a key without a scope', () => {
  it('gets 403 naming the scope, and the request changes nothing', async () => {
    const reader = await createScopedKey(api.herald, ['messages:read', 'contacts:read'], 'reader');
    expect((await reader.client.call('GET', '/v1/messages?limit=1')).status).toBe(200);

    const campaignsBefore = await api.db.campaign.count();
    const campaign = await reader.client.call('POST', '/v1/campaigns', {
      name: 'Not allowed',
      template: 'newsletter',
    });
    expect(campaign.status).toBe(403);
    expect(campaign.body).toEqual(lacks('campaigns'));
    expect(await api.db.campaign.count()).toBe(campaignsBefore);

    const email = uniqueEmail();
    const contact = await reader.client.call('POST', '/v1/contacts', { email });
    expect(contact.status).toBe(403);
    expect(contact.body).toEqual(lacks('contacts:write'));
    expect(await api.db.contact.count({ where: { email } })).toBe(0);

    const message = await reader.client.call('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: { title: 'Nope', body: 'Not sent.' },
    });
    expect(message.status).toBe(403);
    expect(message.body.error.code).toBe('forbidden');
    expect(await api.db.contact.count({ where: { email } })).toBe(0);

    const key = await reader.client.call('POST', '/v1/api-keys', { name: 'escalate', scopes: ['admin'] });
    expect(key.status).toBe(403);
    expect(key.body).toEqual(lacks('admin'));
    expect(await api.db.apiKey.count({ where: { name: 'escalate' } })).toBe(0);
  });

  it('a key that was never issued gets 401', async () => {
    const stranger = createApiClient(api.herald.apiUrl, `hk_${randomBytes(32).toString('base64url')}`);
    const response = await stranger.call('GET', '/v1/messages?limit=1');
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({ code: 'unauthorized', message: 'The API key is not valid.' });
  });
});

describe('DELETE /v1/api-keys/{id}', () => {
  it('revokes the key: 401 from then on, one audit row for its creation and one for its revocation', async () => {
    const sender = await createScopedKey(api.herald, ['messages:read'], 'revoked');
    expect((await sender.client.call('GET', '/v1/messages?limit=1')).status).toBe(200);

    const revoked = await api.herald.client.call('DELETE', `/v1/api-keys/${sender.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: sender.id, revokedAt: expect.any(String) });

    const refused = await sender.client.call('GET', '/v1/messages?limit=1');
    expect(refused.status).toBe(401);
    expect(refused.body.error).toEqual({ code: 'unauthorized', message: 'This API key was revoked.' });

    const again = await api.herald.client.call('DELETE', `/v1/api-keys/${sender.id}`);
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);

    const audit = await api.db.auditLogEntry.findMany({
      where: { targetType: 'api-key', targetId: sender.id },
      orderBy: { id: 'asc' },
    });
    expect(audit.map(({ actor, action, details }) => ({ actor, action, details }))).toEqual([
      {
        actor: 'bootstrap-key',
        action: 'api-key.created',
        details: { name: sender.name, prefix: sender.key.slice(0, 8), scopes: ['messages:read'] },
      },
      {
        actor: 'bootstrap-key',
        action: 'api-key.revoked',
        details: { name: sender.name, prefix: sender.key.slice(0, 8) },
      },
    ]);
  });

  it('answers 404 for a key that does not exist and 400 for an id that is not one', async () => {
    const missing = await api.herald.client.call(
      'DELETE',
      '/v1/api-keys/01890000-0000-7000-8000-000000000000',
    );
    expect(missing.status).toBe(404);
    const malformed = await api.herald.client.call('DELETE', '/v1/api-keys/not-an-id');
    expect(malformed.status).toBe(400);
  });

  it('a key with the admin scope manages keys, and the audit log names it', async () => {
    const operator = await createScopedKey(api.herald, ['admin'], 'operator');
    const created = await operator.client.call('POST', '/v1/api-keys', {
      name: 'made-by-a-key',
      scopes: ['feedback'],
    });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe(`key:${operator.name}`);
    const audit = await api.db.auditLogEntry.findFirstOrThrow({
      where: { targetType: 'api-key', targetId: created.body.id, action: 'api-key.created' },
    });
    expect(audit.actor).toBe(`key:${operator.name}`);
  });
});

describe('lastUsedAt', () => {
  it('is recorded when a key is used, and not again within the minute', async () => {
    const key = await createScopedKey(api.herald, ['messages:read'], 'used');
    await key.client.call('GET', '/v1/messages?limit=1');
    const first = (await api.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    for (let i = 0; i < 3; i++) await key.client.call('GET', '/v1/messages?limit=1');
    const later = (await api.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt;
    expect(later?.toISOString()).toBe(first?.toISOString());
  });
});

describe('HERALD_API_KEY', () => {
  it('still does everything: one call of each scope succeeds', async () => {
    const email = uniqueEmail();
    const contact = await api.herald.client.call('POST', '/v1/contacts', { email });
    expect(contact.status).toBe(201);
    const calls: [string, string, unknown?][] = [
      ['GET', '/v1/messages?limit=1'],
      ['GET', `/v1/contacts/${contact.body.id}`],
      ['GET', '/v1/templates'],
      ['GET', '/v1/categories'],
      ['GET', '/v1/campaigns?limit=1'],
      ['GET', '/v1/policies'],
      ['GET', '/v1/feedback/reports'],
      ['GET', `/v1/contacts/${contact.body.id}/notices`],
      ['GET', '/v1/api-keys'],
      ['GET', '/v1/suppressions'],
      [
        'POST',
        '/v1/messages',
        { template: 'service-notice', to: { email }, data: { title: 'Hello', body: 'All scopes.' } },
      ],
    ];
    for (const [method, path, body] of calls) {
      const response = await api.herald.client.call(method, path, body);
      expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
    }
  });
});
