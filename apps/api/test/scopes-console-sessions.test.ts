import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@herald/db';
import { startHerald, type Herald } from '@herald/test-support';
import { createHash, randomBytes } from 'node:crypto';

/**
 * The console calls the API as the person signed in: `Authorization: Console <secret>`, checked
 * against admin_sessions (by the secret's SHA-256) on every call. An ended or expired session is
 * refused at once, and so is a secret no session has.
 */
let herald: Herald;
let db: Db;
let adminUserId: string;

beforeAll(async () => {
  db = createPrismaClient({ databaseUrl: process.env.DATABASE_URL ?? '', maxConnections: 2 });
  herald = await startHerald({ workers: 0 });
  const admin = await db.adminUser.create({
    data: { email: `operator-${randomBytes(4).toString('hex')}@example.test`, passwordHash: 'not-used-here' },
  });
  adminUserId = admin.id;
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await db?.$disconnect();
});

async function session(fields: { expiresAt: Date; revokedAt?: Date }): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await db.adminSession.create({
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
    const read = await herald.client.call('GET', '/v1/categories', undefined, asConsole(secret));
    expect(read.status).toBe(200);
    expect(read.body.categories.length).toBeGreaterThan(0);

    const email = `console-${randomBytes(4).toString('hex')}@example.test`;
    const written = await herald.client.call('POST', '/v1/contacts', { email }, asConsole(secret));
    expect(written.status).toBe(201);
    expect(await db.contact.count({ where: { email } })).toBe(1);
  });

  it('an ended session gets 401 and changes nothing', async () => {
    const secret = await session({ expiresAt: inAnHour(), revokedAt: new Date() });
    const email = `ended-${randomBytes(4).toString('hex')}@example.test`;
    const response = await herald.client.call('POST', '/v1/contacts', { email }, asConsole(secret));
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({
      code: 'unauthorized',
      message: 'The console session has ended or is not valid.',
    });
    expect(await db.contact.count({ where: { email } })).toBe(0);
  });

  it('an expired session gets 401', async () => {
    const secret = await session({ expiresAt: new Date(Date.now() - 1000) });
    const response = await herald.client.call('GET', '/v1/categories', undefined, asConsole(secret));
    expect(response.status).toBe(401);
  });

  it('a session ended while in use is refused from the next call on', async () => {
    const secret = await session({ expiresAt: inAnHour() });
    expect((await herald.client.call('GET', '/v1/categories', undefined, asConsole(secret))).status).toBe(
      200,
    );
    await db.adminSession.update({
      where: { tokenHash: createHash('sha256').update(secret).digest('hex') },
      data: { revokedAt: new Date() },
    });
    expect((await herald.client.call('GET', '/v1/categories', undefined, asConsole(secret))).status).toBe(
      401,
    );
  });

  it('a secret no session has, an empty one, or the API key sent as a console secret get 401', async () => {
    for (const authorization of [
      `Console ${randomBytes(32).toString('base64url')}`,
      'Console ',
      `Console ${herald.apiKey}`,
    ]) {
      const response = await herald.client.call('GET', '/v1/categories', undefined, { authorization });
      expect(response.status, authorization).toBe(401);
    }
  });
});
