import { describe, expect, it } from 'vitest';
import { ADMIN_ROLES, type AdminRoleName } from '@herald/contract';
import { createHash, randomBytes } from 'node:crypto';
import { useHeraldApi } from './support/scoped-keys.js';

/**
 * The console calls the API as the person signed in, and the API gives that session its role's
 * scopes (@herald/contract ROLE_POWERS): a role's refusal comes from the API whatever page sent the
 * request. Every change is in the audit log with who made it, in the change's own transaction.
 */
const api = useHeraldApi();

type Person = {
  email: string;
  call: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
};

/** A console account with `role` and a live session, calling the API as the console does. */
async function person(role: AdminRoleName, deactivated = false): Promise<Person> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.test`;
  const admin = await api.db.adminUser.create({
    data: { email, passwordHash: 'unused', role, deactivatedAt: deactivated ? new Date() : null },
  });
  const secret = randomBytes(32).toString('base64url');
  await api.db.adminSession.create({
    data: {
      adminUserId: admin.id,
      tokenHash: createHash('sha256').update(secret).digest('hex'),
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  return {
    email,
    call: (method, path, body) =>
      api.herald.client.call(method, path, body, { authorization: `Console ${secret}` }),
  };
}

const NEWSLETTER = {
  template: 'newsletter',
  data: {
    headline: 'Roles',
    intro: 'Who may do what.',
    articles: [{ title: 'One', summary: 'Two.', url: 'https://example.com/r' }],
  },
};

async function draftCampaign(): Promise<string> {
  const run = randomBytes(4).toString('hex');
  const created = await api.herald.client.call('POST', '/v1/campaigns', {
    ...NEWSLETTER,
    name: `Roles ${run}`,
    audience: { attributes: { run } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

const auditOf = (targetId: string) =>
  api.db.auditLogEntry.findMany({ where: { targetId }, orderBy: { id: 'asc' } });

async function templateBody(key: string) {
  const latest = await api.db.template.findFirstOrThrow({
    where: { key, locale: null },
    orderBy: { version: 'desc' },
  });
  return {
    key,
    category: latest.categoryKey,
    subject: latest.subject,
    mjml: latest.mjml,
    fixture: latest.fixture,
  };
}

describe('console roles at the API', () => {
  it('a support session cannot schedule a campaign: 403, and the campaign and the audit log are unchanged', async () => {
    const id = await draftCampaign();
    const support = await person('support');
    const refused = await support.call('POST', `/v1/campaigns/${id}/schedule`, {
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: 'forbidden',
      message: 'This key lacks the scope "campaigns".',
    });
    expect((await api.db.campaign.findUniqueOrThrow({ where: { id } })).status).toBe('draft');
    expect((await auditOf(id)).map((row) => row.action)).toEqual(['campaign.created']);
  });

  it('a marketer schedules, pauses and cancels; each is in the audit log with the person, in order', async () => {
    const id = await draftCampaign();
    const marketer = await person('marketer');
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    expect((await marketer.call('POST', `/v1/campaigns/${id}/schedule`, { sendAt })).status).toBe(200);
    expect((await marketer.call('POST', `/v1/campaigns/${id}/pause`, {})).status).toBe(200);
    expect((await marketer.call('POST', `/v1/campaigns/${id}/cancel`, {})).status).toBe(200);
    // A refused transition writes nothing.
    expect((await marketer.call('POST', `/v1/campaigns/${id}/pause`, {})).status).toBe(409);
    const rows = await auditOf(id);
    expect(rows.map((row) => [row.actor, row.action])).toEqual([
      ['bootstrap-key', 'campaign.created'],
      [`admin:${marketer.email}`, 'campaign.scheduled'],
      [`admin:${marketer.email}`, 'campaign.paused'],
      [`admin:${marketer.email}`, 'campaign.cancelled'],
    ]);
    expect(rows[1]?.details).toMatchObject({ sendAt });
  });

  it('a marketer saves promotional templates only, an operator transactional ones only', async () => {
    const marketer = await person('marketer');
    const operator = await person('operator');
    const security = await templateBody('security-sign-in');
    const newsletter = await templateBody('newsletter');
    const count = (key: string) => api.db.template.count({ where: { key } });
    const [securityBefore, newsletterBefore] = [await count('security-sign-in'), await count('newsletter')];

    const marketerSecurity = await marketer.call('POST', '/v1/templates', security);
    expect(marketerSecurity.status).toBe(403);
    expect(marketerSecurity.body.error.message).toBe(
      'Your role may not save transactional templates (category "security").',
    );
    const operatorNewsletter = await operator.call('POST', '/v1/templates', newsletter);
    expect(operatorNewsletter.status).toBe(403);
    expect(await count('security-sign-in')).toBe(securityBefore);
    expect(await count('newsletter')).toBe(newsletterBefore);

    expect((await marketer.call('POST', '/v1/templates', newsletter)).status).toBe(201);
    expect((await operator.call('POST', '/v1/templates', security)).status).toBe(201);
    const saved = await api.db.auditLogEntry.findMany({
      where: {
        action: 'template.saved',
        actor: { in: [`admin:${marketer.email}`, `admin:${operator.email}`] },
      },
    });
    expect(saved.map((row) => row.targetId).sort()).toEqual(['newsletter', 'security-sign-in']);
  });

  it('a viewer reads and previews, and changes nothing', async () => {
    const viewer = await person('viewer');
    expect((await viewer.call('GET', '/v1/campaigns')).status).toBe(200);
    expect((await viewer.call('GET', '/v1/policies')).status).toBe(200);
    expect((await viewer.call('GET', '/v1/audit-log')).status).toBe(200);
    const preview = await viewer.call('POST', '/v1/campaigns/audience-preview', {
      template: 'newsletter',
      audience: { attributes: { run: 'nobody' } },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);

    const id = await draftCampaign();
    const pause = await viewer.call('POST', `/v1/campaigns/${id}/cancel`, {});
    expect(pause.status).toBe(403);
    expect(pause.body.error).toEqual({
      code: 'forbidden',
      message: 'The viewer role only reads: it changes nothing.',
    });
    expect((await api.db.campaign.findUniqueOrThrow({ where: { id } })).status).toBe('draft');
    const email = `viewer-made-${randomBytes(4).toString('hex')}@example.test`;
    expect((await viewer.call('POST', '/v1/contacts', { email })).status).toBe(403);
    expect(await api.db.contact.count({ where: { email } })).toBe(0);
  });

  it('suppressions: an operator and a support agent may add to the list, a marketer may not', async () => {
    for (const [role, status] of [
      ['operator', 201],
      ['support', 201],
      ['marketer', 403],
    ] as const) {
      const address = `blocked-${role}-${randomBytes(4).toString('hex')}@example.test`;
      const response = await (
        await person(role)
      ).call('POST', '/v1/suppressions', { email: address, reason: 'manual' });
      expect([role, response.status]).toEqual([role, status]);
    }
  });

  it('an operator publishes and announces a policy; both are audited, an override with its reason', async () => {
    const operator = await person('operator');
    const created = await operator.call('POST', '/v1/policies', {
      version: `roles-${randomBytes(4).toString('hex')}`,
      title: 'Privacy Policy',
      summary: 'Shorter retention.',
      url: 'https://example.com/legal/privacy/roles',
      effectiveAt: new Date(Date.now() + 3 * 24 * 3_600_000).toISOString(),
      override: { reason: 'The regulator asked for it this week.' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect((await operator.call('POST', `/v1/policies/${id}/announce`, {})).status).toBe(202);
    // Announcing again changes nothing, and writes nothing.
    expect((await operator.call('POST', `/v1/policies/${id}/announce`, {})).status).toBe(202);
    const rows = await auditOf(id);
    expect(rows.map((row) => [row.actor, row.action, row.reason])).toEqual([
      [`admin:${operator.email}`, 'policy.published-overridden', 'The regulator asked for it this week.'],
      [`admin:${operator.email}`, 'policy.announced', null],
    ]);
    expect((await (await person('marketer')).call('POST', `/v1/policies/${id}/announce`, {})).status).toBe(
      403,
    );
  });

  it('a deactivated account’s session is refused', async () => {
    const gone = await person('owner', true);
    expect((await gone.call('GET', '/v1/campaigns')).status).toBe(401);
  });

  it('every role is covered by the table the API and the console share', () => {
    expect([...ADMIN_ROLES]).toEqual(['owner', 'marketer', 'operator', 'support', 'viewer']);
  });
});

describe('GET /v1/audit-log', () => {
  it('filters by actor, action family, target and dates, pages newest first, and exports CSV', async () => {
    const marketer = await person('marketer');
    const ids = [await draftCampaign(), await draftCampaign(), await draftCampaign()];
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    for (const id of ids) {
      expect((await marketer.call('POST', `/v1/campaigns/${id}/schedule`, { sendAt })).status).toBe(200);
    }
    const owner = await person('owner');
    const actor = encodeURIComponent(`admin:${marketer.email}`);
    const first = await owner.call('GET', `/v1/audit-log?actor=${actor}&action=campaign.&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e: { targetId: string }) => e.targetId)).toEqual([ids[2], ids[1]]);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await owner.call('GET', `/v1/audit-log?actor=${actor}&limit=2&before=${first.body.next}`);
    expect(second.body.entries.map((e: { targetId: string }) => e.targetId)).toEqual([ids[0]]);
    expect(second.body.next).toBeNull();

    const byTarget = await owner.call('GET', `/v1/audit-log?targetType=campaign&targetId=${ids[1]}`);
    expect(byTarget.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'campaign.scheduled',
      'campaign.created',
    ]);
    const tomorrow = new Date(Date.now() + 24 * 3_600_000).toISOString().slice(0, 10);
    const future = await owner.call('GET', `/v1/audit-log?actor=${actor}&from=${tomorrow}`);
    expect(future.body.entries).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const todays = await owner.call('GET', `/v1/audit-log?actor=${actor}&from=${today}&to=${today}`);
    expect(todays.body.entries).toHaveLength(3);

    const csv = await fetch(`${api.herald.apiUrl}/v1/audit-log?actor=${actor}&format=csv`, {
      headers: { authorization: `Bearer ${api.herald.apiKey}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,occurredAt,actor,action,targetType,targetId,reason,details');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`,admin:${marketer.email},campaign.scheduled,campaign,${ids[2]},,`);
  });

  it('refuses a filter it cannot read, naming it, and a role without the audit scope', async () => {
    const owner = await person('owner');
    const bad = await owner.call('GET', '/v1/audit-log?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('from');
    const backwards = await owner.call('GET', '/v1/audit-log?from=2026-12-02&to=2026-12-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('"from" must be before "to"');
    expect((await (await person('marketer')).call('GET', '/v1/audit-log')).status).toBe(403);
    expect((await (await person('support')).call('GET', '/v1/audit-log')).status).toBe(403);
  });

  it('a CSV field a spreadsheet would run as a formula is written as text', async () => {
    const { csvField } = await import('../src/core/csv.js');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(null)).toBe('');
    expect(csvField({ sendAt: 'x' })).toBe('"{""sendAt"":""x""}"');
  });
});
