import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createScopedKey, lacks, useHeraldApi } from './support/scoped-keys.js';

/**
 * A required (transactional) category's mail reaches people whatever they opted out of, so putting
 * content into one needs the `templates` scope: a key with every other scope but `admin` cannot save a
 * template or create a category. Every template save is in the audit log, with who saved it.
 */
const api = useHeraldApi();

/** The body that saves a new version of a seeded template, as it is. */
async function newVersionOf(key: string) {
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

const versionsOf = (key: string) => api.db.template.count({ where: { key } });

describe('templates in required categories', () => {
  it('a key without the templates scope cannot save one, nor create a required category', async () => {
    const marketer = await createScopedKey(
      api.herald,
      [
        'messages:send',
        'messages:read',
        'contacts:read',
        'contacts:write',
        'campaigns',
        'policies',
        'feedback',
      ],
      'marketer',
    );
    const security = await newVersionOf('security-sign-in');
    expect(security.category).toBe('security');
    const before = await versionsOf('security-sign-in');
    const saved = await marketer.client.call('POST', '/v1/templates', {
      ...security,
      subject: 'Your account: a special offer',
    });
    expect(saved.status).toBe(403);
    expect(saved.body).toEqual(lacks('templates'));
    expect(await versionsOf('security-sign-in')).toBe(before);

    const brandNew = await marketer.client.call('POST', '/v1/templates', {
      ...security,
      key: `security-deal-${randomBytes(3).toString('hex')}`,
    });
    expect(brandNew.status).toBe(403);

    const key = `account-news-${randomBytes(3).toString('hex')}`;
    const category = await marketer.client.call('POST', '/v1/categories', {
      key,
      name: 'Account news',
      description: 'Cannot be opted out of.',
      class: 'transactional',
      required: true,
    });
    expect(category.status).toBe(403);
    expect(await api.db.category.count({ where: { key } })).toBe(0);
    expect(await api.db.auditLogEntry.count({ where: { actor: `key:${marketer.name}` } })).toBe(0);
  });

  it('a key with the templates scope saves one, and the audit log says who, which version, and that it is required', async () => {
    const editor = await createScopedKey(api.herald, ['templates'], 'editor');
    const saved = await editor.client.call('POST', '/v1/templates', await newVersionOf('security-sign-in'));
    expect(saved.status).toBe(201);
    const audit = await api.db.auditLogEntry.findMany({
      where: { action: 'template.saved', targetId: 'security-sign-in' },
    });
    expect(audit.map(({ actor, targetType, details }) => ({ actor, targetType, details }))).toEqual([
      {
        actor: `key:${editor.name}`,
        targetType: 'template',
        details: { category: 'security', version: saved.body.version, required: true },
      },
    ]);
  });

  it('every template save is logged, promotional ones too', async () => {
    const saved = await api.herald.client.call('POST', '/v1/templates', await newVersionOf('newsletter'));
    expect(saved.status).toBe(201);
    const audit = await api.db.auditLogEntry.findFirstOrThrow({
      where: { action: 'template.saved', targetId: 'newsletter' },
    });
    expect(audit).toMatchObject({
      actor: 'bootstrap-key',
      details: { category: 'newsletter', version: saved.body.version, required: false },
    });
  });
});
