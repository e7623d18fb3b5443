import { beforeAll, describe, expect, it } from 'vitest';
import { useHeraldApi } from './support/scoped-keys.js';
import { createHash, randomBytes } from 'node:crypto';

/**
 * The console calls the API as the person signed in: `Authorization: Console <secret>`, checked
 * against admin_sessions (by the secret's SHA-256) on every call. An ended or expired session is
 * refused at once, and so is a secret no session has.
 */
const api = useHeraldApi();
let adminUserId: string;

beforeAll(async () => {
  const admin = await api.db.adminUser.create({
    data: {
      email: `owner-${randomBytes(4).toString('hex')}@example.test`,
      passwordHash: 'not-used-here',
      role: 'owner',
    },
  });
  adminUserId = admin.id;
});

async function session(fields: { expiresAt: Date; revokedAt?: Date }): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await api.db.adminSession.create({
    data: {
      adminUserId,
      tokenHash: createHash('sha256').update(secret).digest('hex'),
      expiresAt: fields.expiresAt,
      revokedAt: fields.revokedAt ?? null,
    },
  });
  return secret;
}

const inAnHour = () => new Date(Date.now() + 3_600_000);
const asConsole = (secret: string) => ({ authorization: `Console ${secret}` });

describe('Authorization: Console <session secret>', () => {
  it('a live session reads and writes as the person signed in', async () => {
    const secret = await session({ expiresAt: inAnHour() });
    const read = await api.herald.client.call('GET', '/v1/categories', undefined, asConsole(secret));
    expect(read.status).toBe(200);
    expect(read.body.categories.length).toBeGreaterThan(0);

    const email = `console-${randomBytes(4).toString('hex')}@example.test`;
    const written = await api.herald.client.call('POST', '/v1/contacts', { email }, asConsole(secret));
    expect(written.status).toBe(201);
    expect(await api.db.contact.count({ where: { email } })).toBe(1);
  });

  it('an ended session gets 401 and changes nothing', async () => {
    const secret = await session({ expiresAt: inAnHour(), revokedAt: new Date() });
    const email = `ended-${randomBytes(4).toString('hex')}@example.test`;
    const response = await api.herald.client.call('POST', '/v1/contacts', { email }, asConsole(secret));
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({
      code: 'unauthorized',
      message: 'The console session has ended or is not valid.',
    });
    expect(await api.db.contact.count({ where: { email } })).toBe(0);
  });

  it('an expired session gets 401', async () => {
    const secret = await session({ expiresAt: new Date(Date.now() - 1000) });
    const response = await api.herald.client.call('GET', '/v1/categories', undefined, asConsole(secret));
    expect(response.status).toBe(401);
  });

  it('a session ended while in use is refused from the next call on', async () => {
    const secret = await session({ expiresAt: inAnHour() });
    expect((await api.herald.client.call('GET', '/v1/categories', undefined, asConsole(secret))).status).toBe(
      200,
    );
    await api.db.adminSession.update({
      where: { tokenHash: createHash('sha256').update(secret).digest('hex') },
      data: { revokedAt: new Date() },
    });
    expect((await api.herald.client.call('GET', '/v1/categories', undefined, asConsole(secret))).status).toBe(
      401,
    );
  });

  it('a secret no session has, an empty one, or the API key sent as a console secret get 401', async () => {
    for (const authorization of [
      `Console ${randomBytes(32).toString('base64url')}`,
      'Console ',
      `Console ${api.herald.apiKey}`,
    ]) {
      const response = await api.herald.client.call('GET', '/v1/categories', undefined, { authorization });
      expect(response.status, authorization).toBe(401);
    }
  });
});
