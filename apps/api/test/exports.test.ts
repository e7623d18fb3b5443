import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * Lists out (issue 14): every contact with their consent now, and the consent log for a date range,
 * streamed as CSV a page at a time; each export is in the audit log.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => h?.close());

async function contact(email: string): Promise<string> {
  const created = await h.request('POST', '/v1/contacts', { email });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function csv(path: string, key = h.env.HERALD_API_KEY ?? '') {
  const response = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text };
}

/** Rows as objects by the header's names (no field here holds a comma). */
function rowsOf(text: string): Record<string, string>[] {
  const [header = '', ...lines] = text.trimEnd().split('\r\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [names[i], value])));
}

describe('GET /v1/exports/contacts', () => {
  it('has every live contact once with each category as they receive it and their suppressions', async () => {
    const plain = uniqueEmail('plain');
    const quiet = uniqueEmail('quiet');
    const blocked = uniqueEmail('blocked');
    const erased = uniqueEmail('erased');
    const [, quietId, , erasedId] = [
      await contact(plain),
      await contact(quiet),
      await contact(blocked),
      await contact(erased),
    ];
    const changed = await h.request('PUT', `/v1/contacts/${quietId}/preferences`, {
      changes: [{ category: 'newsletter', subscribed: false }],
      reason: 'Asked by phone',
    });
    expect(changed.status).toBe(200);
    expect((await h.request('POST', '/v1/suppressions', { email: blocked, reason: 'manual' })).status).toBe(
      201,
    );
    expect((await h.request('DELETE', `/v1/contacts/${erasedId}`)).status).toBe(200);
    // More than a page of contacts (1,000), so the export goes on past the first.
    const run = randomBytes(3).toString('hex');
    await h.db.contact.createMany({
      data: Array.from({ length: 1100 }, (_, i) => ({ email: `bulk-${run}-${i}@example.test` })),
    });

    const answer = await csv('/v1/exports/contacts');
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/csv/);
    const rows = rowsOf(answer.text);
    const header = answer.text.slice(0, answer.text.indexOf('\r\n')).split(',');
    expect(header.slice(0, 8)).toEqual([
      'id',
      'email',
      'name',
      'externalId',
      'locale',
      'timezone',
      'createdAt',
      'allPromotional',
    ]);
    expect(header).toContain('category:newsletter');
    expect(header).toContain('category:security');
    expect(header.at(-1)).toBe('suppressed');
    expect(rows).toHaveLength(await h.db.contact.count({ where: { erasedAt: null } }));
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    const byEmail = new Map(rows.map((row) => [row.email, row]));
    expect(byEmail.get(plain)).toMatchObject({
      'category:newsletter': 'yes',
      'category:security': 'yes',
      suppressed: '',
    });
    expect(byEmail.get(quiet)).toMatchObject({ 'category:newsletter': 'no', 'category:security': 'yes' });
    expect(byEmail.get(blocked)).toMatchObject({ suppressed: 'manual' });
    expect(byEmail.has(erased)).toBe(false);
    expect(rows.some((row) => row.id === erasedId)).toBe(false);
    expect(rows.filter((row) => row.email?.startsWith(`bulk-${run}-`))).toHaveLength(1100);

    expect(
      await h.db.auditLogEntry.count({ where: { action: 'contacts.exported', actor: 'bootstrap-key' } }),
    ).toBeGreaterThan(0);
  });

  it('needs contacts:read: another key gets 403 and no file', async () => {
    const created = await h.request('POST', '/v1/api-keys', {
      name: `no-read-${randomBytes(3).toString('hex')}`,
      scopes: ['campaigns'],
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const refused = await csv('/v1/exports/contacts', key);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('contacts:read');
  });
});

describe('GET /v1/exports/consent-log', () => {
  it('has the entries of the range, oldest first, with their proof; bad ranges are refused', async () => {
    const id = await contact(uniqueEmail('logged'));
    expect(
      (
        await h.request('PUT', `/v1/contacts/${id}/preferences`, {
          changes: [{ category: 'newsletter', subscribed: false }],
          reason: 'Wrote to support, "please stop"',
          actor: 'agent-9',
        })
      ).status,
    ).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const answer = await csv(`/v1/exports/consent-log?from=${today}&to=${today}`);
    expect(answer.status).toBe(200);
    const lines = answer.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,occurredAt,contactId,category,action,source,actor,reason,messageId,campaignId,userAgent,ipHash',
    );
    const mine = lines.filter((line) => line.includes(id));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain(
      `,${id},newsletter,unsubscribe,admin,agent-9,"Wrote to support, ""please stop""",`,
    );
    const ids = lines.slice(1).map((line) => BigInt(line.split(',')[0] ?? '0'));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(
      await h.db.consentLogEntry.count({ where: { occurredAt: { gte: new Date(`${today}T00:00:00Z`) } } }),
    ).toBe(lines.length - 1);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(rowsOf((await csv(`/v1/exports/consent-log?from=${tomorrow}&to=${tomorrow}`)).text)).toEqual([]);
    const backwards = await csv(`/v1/exports/consent-log?from=${tomorrow}&to=${today}`);
    expect(backwards.status).toBe(400);
    expect(JSON.parse(backwards.text).error.message).toContain('"from" must be before "to"');
    const missing = await csv('/v1/exports/consent-log?from=2026-01-01');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('to');
  });
});
