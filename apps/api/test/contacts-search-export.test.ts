import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN } from './support/feedback-scenarios.js';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

/**
 * The support console's API: finding contacts (address prefix, external id, name prefix, keyset
 * paging), the GDPR Art. 15 export with its audit row, and preference changes and erasures made by
 * a person signed in to the console (source admin, the agent named, a reason required).
 */
let h: Harness;
let agent: { email: string; headers: Record<string, string> };

beforeAll(async () => {
  h = await startHarness({ worker: true });
  const email = `agent-${randomBytes(4).toString('hex')}@example.test`;
  const user = await h.db.adminUser.create({
    data: { email, passwordHash: 'not-used-here', role: 'support' },
  });
  const secret = randomBytes(32).toString('base64url');
  await h.db.adminSession.create({
    data: {
      adminUserId: user.id,
      tokenHash: createHash('sha256').update(secret).digest('hex'),
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  agent = { email, headers: { authorization: `Console ${secret}` } };
}, 60_000);
afterAll(async () => h?.close());

const run = () => randomBytes(4).toString('hex');

async function createContact(fields: Record<string, unknown>): Promise<string> {
  const created = await h.request('POST', '/v1/contacts', fields);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

describe('GET /v1/contacts', () => {
  it('finds contacts by the start of their address, newest first, a page at a time', async () => {
    const id = run();
    const first = await createContact({ email: `find-${id}-a@example.test` });
    const second = await createContact({ email: `find-${id}-b@example.test` });
    const third = await createContact({ email: `find-${id}-c@example.test` });
    await createContact({ email: `other-${id}@example.test` });

    const page1 = await h.request('GET', `/v1/contacts?q=${encodeURIComponent(`FIND-${id}`)}&limit=2`);
    expect(page1.status, JSON.stringify(page1.body)).toBe(200);
    expect(page1.body.contacts.map((c: { id: string }) => c.id)).toEqual([third, second]);
    expect(page1.body.contacts[0]).toMatchObject({ email: `find-${id}-c@example.test`, erasedAt: null });
    expect(page1.body.next).toEqual(expect.any(String));

    const page2 = await h.request(
      'GET',
      `/v1/contacts?q=find-${id}&limit=2&cursor=${encodeURIComponent(page1.body.next)}`,
    );
    expect(page2.body.contacts.map((c: { id: string }) => c.id)).toEqual([first]);
    expect(page2.body.next).toBeNull();
  });

  it('finds a contact by its whole external id, and by the start of its name in any case', async () => {
    const id = run();
    const contact = await createContact({
      email: uniqueEmail('ext'),
      externalId: `crm-${id}`,
      name: `Quinn${id} Doe`,
    });

    const byExternalId = await h.request('GET', `/v1/contacts?q=crm-${id}`);
    expect(byExternalId.body.contacts.map((c: { id: string }) => c.id)).toEqual([contact]);
    expect(byExternalId.body.contacts[0]).toMatchObject({ externalId: `crm-${id}`, name: `Quinn${id} Doe` });
    // An external id is matched whole, never by its start.
    expect((await h.request('GET', `/v1/contacts?q=crm-${id.slice(0, 4)}`)).body.contacts).toEqual([]);

    const byName = await h.request('GET', `/v1/contacts?q=QUINN${id}`);
    expect(byName.body.contacts.map((c: { id: string }) => c.id)).toEqual([contact]);
    // LIKE's wildcards in q match only themselves.
    expect(
      (await h.request('GET', `/v1/contacts?q=${encodeURIComponent(`quinn${id}_`)}`)).body.contacts,
    ).toEqual([]);
  });

  it('lists an erased contact with erasedAt and without its address; refuses a bad cursor', async () => {
    const erased = await createContact({ email: uniqueEmail('gone'), name: 'Gone Soon' });
    expect((await h.request('DELETE', `/v1/contacts/${erased}`)).status).toBe(200);
    const all = await h.request('GET', '/v1/contacts?limit=200');
    const row = all.body.contacts.find((c: { id: string }) => c.id === erased);
    expect(row).toMatchObject({ email: null, name: null, externalId: null, erasedAt: expect.any(String) });

    const bad = await h.request('GET', '/v1/contacts?cursor=nope');
    expect(bad.status).toBe(400);
    expect((await h.request('GET', '/v1/contacts?limit=500')).status).toBe(400);
  });
});

describe('GET /v1/contacts/{id}/export', () => {
  it('holds every row about the contact and writes a contact.exported audit row', async () => {
    const email = uniqueEmail('export');
    const contactId = await createContact({
      email,
      name: 'Ada Export',
      externalId: `exp-${run()}`,
      locale: 'en-GB',
      attributes: { plan: 'pro' },
    });
    const sent = await h.request('POST', '/v1/messages', {
      template: 'security-sign-in',
      to: { email },
      data: SIGN_IN,
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect((await waitForStatus(h, sent.body.id)).status).toBe('sent');
    const changed = await h.request('PUT', `/v1/contacts/${contactId}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: false }],
      reason: 'asked by phone',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const suppressed = await h.request('POST', '/v1/suppressions', {
      email,
      reason: 'manual',
      detail: 'asked',
    });
    expect(suppressed.status, JSON.stringify(suppressed.body)).toBe(201);

    const exported = await h.request('GET', `/v1/contacts/${contactId}/export`);
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    const body = exported.body;
    expect(body.contact).toMatchObject({
      id: contactId,
      email,
      name: 'Ada Export',
      locale: 'en-GB',
      attributes: { plan: 'pro' },
    });
    expect(body.preferences.categories).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'newsletter', subscribed: false })]),
    );
    expect(body.preferenceRows).toEqual([
      expect.objectContaining({ category: 'newsletter', subscribed: false }),
    ]);

    const consentRows = await h.db.consentLogEntry.findMany({ where: { contactId }, orderBy: { id: 'asc' } });
    expect(consentRows.length).toBeGreaterThan(0);
    expect(body.consentLog.map((entry: { id: string }) => entry.id)).toEqual(
      consentRows.map((r) => r.id.toString()),
    );
    expect(body.consentLog).toEqual(
      expect.arrayContaining([expect.objectContaining({ category: 'newsletter', reason: 'asked by phone' })]),
    );

    const suppressionRows = await h.db.suppression.findMany({ where: { contactId } });
    expect(suppressionRows.length).toBeGreaterThan(0);
    expect(body.suppressions.map((s: { id: string }) => s.id).sort()).toEqual(
      suppressionRows.map((s) => s.id).sort(),
    );
    expect(body.suppressions[0]).toMatchObject({ reason: 'manual', detail: 'asked' });

    const messageRows = await h.db.message.findMany({ where: { contactId }, include: { events: true } });
    expect(body.messages.map((m: { id: string }) => m.id)).toEqual(messageRows.map((m) => m.id));
    const message = body.messages[0];
    expect(message).toMatchObject({ id: sent.body.id, template: 'security-sign-in', status: 'sent' });
    const eventRows = messageRows[0]?.events ?? [];
    expect(eventRows.length).toBeGreaterThan(0);
    expect(message.events.map((e: { id: string }) => e.id).sort()).toEqual(
      eventRows.map((e) => e.id.toString()).sort(),
    );

    const audit = await h.db.auditLogEntry.findMany({
      where: { action: 'contact.exported', targetId: contactId },
    });
    expect(audit).toEqual([
      expect.objectContaining({ actor: 'bootstrap-key', targetType: 'contact', targetId: contactId }),
    ]);
  }, 30_000);

  it('is a 404 for an erased or unknown contact, and writes no audit row', async () => {
    const contactId = await createContact({ email: uniqueEmail('erased') });
    expect((await h.request('DELETE', `/v1/contacts/${contactId}`)).status).toBe(200);
    const exported = await h.request('GET', `/v1/contacts/${contactId}/export`);
    expect(exported.status).toBe(404);
    const unknown = await h.request('GET', '/v1/contacts/01930000-0000-7000-8000-00000000ffff/export');
    expect(unknown.status).toBe(404);
    expect(
      await h.db.auditLogEntry.count({ where: { action: 'contact.exported', targetId: contactId } }),
    ).toBe(0);
  });
});

describe('changes made through the console', () => {
  it('a preference change without a reason is a 400 that changes nothing', async () => {
    const contactId = await createContact({ email: uniqueEmail('noreason') });
    const before = await h.db.consentLogEntry.count({ where: { contactId } });
    const refused = await h.request(
      'PUT',
      `/v1/contacts/${contactId}/preferences`,
      { changes: [{ category: 'newsletter', subscribed: false }] },
      agent.headers,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_request');
    expect(await h.db.preference.count({ where: { contactId } })).toBe(0);
    expect(await h.db.consentLogEntry.count({ where: { contactId } })).toBe(before);
    expect(await h.db.auditLogEntry.count({ where: { targetId: contactId } })).toBe(0);
  });

  it('records source admin, the agent signed in and the reason, with a preferences.changed audit row', async () => {
    const contactId = await createContact({ email: uniqueEmail('agent') });
    const changed = await h.request(
      'PUT',
      `/v1/contacts/${contactId}/preferences`,
      {
        changes: [{ category: 'newsletter', subscribed: false }],
        reason: 'Asked by mail',
        actor: 'someone else',
      },
      agent.headers,
    );
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const entries = await h.db.consentLogEntry.findMany({ where: { contactId, categoryKey: 'newsletter' } });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'unsubscribe',
        source: 'admin',
        actor: `admin:${agent.email}`,
        reason: 'Asked by mail',
      }),
    ]);
    const audit = await h.db.auditLogEntry.findMany({
      where: { action: 'preferences.changed', targetId: contactId },
    });
    expect(audit).toEqual([
      expect.objectContaining({
        actor: `admin:${agent.email}`,
        targetType: 'contact',
        reason: 'Asked by mail',
        details: { changes: [{ category: 'newsletter', subscribed: false }] },
      }),
    ]);
  });

  it('an erasure from the console is logged as admin, by the agent, with a contact.erased audit row', async () => {
    const contactId = await createContact({ email: uniqueEmail('erase') });
    const erased = await h.request('DELETE', `/v1/contacts/${contactId}`, undefined, agent.headers);
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    const entry = await h.db.consentLogEntry.findFirst({ where: { contactId, action: 'suppress' } });
    expect(entry).toMatchObject({ source: 'admin', actor: `admin:${agent.email}` });
    expect(
      await h.db.auditLogEntry.findMany({ where: { action: 'contact.erased', targetId: contactId } }),
    ).toEqual([expect.objectContaining({ actor: `admin:${agent.email}`, targetType: 'contact' })]);
  });
});
