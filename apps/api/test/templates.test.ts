import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const VALID_MJML = `<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{name}}, your {{thing}} is ready.</mj-text></mj-column></mj-section></mj-body></mjml>`;

describe('templates', () => {
  it('lists the seed templates with their class and reads one with variables and a fixture that previews', async () => {
    const list = await h.request('GET', '/v1/templates');
    const keys = list.body.templates.map((t: { key: string }) => t.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'service-notice',
        'security-sign-in',
        'policy-update',
        'collaboration-invite',
        'newsletter',
      ]),
    );
    const newsletter = await h.request('GET', '/v1/templates/newsletter');
    expect(newsletter.body).toMatchObject({
      key: 'newsletter',
      category: 'newsletter',
      class: 'promotional',
    });
    expect(newsletter.body.variables).toEqual(expect.arrayContaining(['headline']));
    const preview = await h.request('POST', '/v1/templates/newsletter/preview', {});
    expect(preview.status).toBe(200);
    expect(preview.body.html).toContain(newsletter.body.fixture.headline);
    expect(preview.body.html).toContain('Herald Demo Co.');
    expect(preview.body.html).toContain('/unsubscribe/');
    expect(preview.body.text.length).toBeGreaterThan(20);
  });

  it('adds versions, refuses invalid MJML with the line, and keeps a template in its category', async () => {
    const key = `welcome-${Date.now().toString(36)}`;
    const v1 = await h.request('POST', '/v1/templates', {
      key,
      category: 'service-notices',
      subject: 'Hi {{name}}',
      mjml: VALID_MJML,
    });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body).toMatchObject({ key, version: 1, class: 'transactional', variables: ['thing'] });
    const v2 = await h.request('POST', '/v1/templates', {
      key,
      category: 'service-notices',
      subject: 'Hello {{name}}',
      mjml: VALID_MJML,
    });
    expect(v2.body.version).toBe(2);
    // Each version keeps MJML's output, footer included, so a worker sends it without MJML.
    const stored = await h.db.template.findMany({ where: { key }, orderBy: { version: 'asc' } });
    expect(stored.map((row) => row.html?.startsWith('<!doctype html>'))).toEqual([true, true]);
    expect(stored[0]?.html).toContain('Hello {{name}}, your {{thing}} is ready.');
    expect(stored[0]?.html).toContain('{{unsubscribeUrl}}');

    const invalid = await h.request('POST', '/v1/templates', {
      key,
      category: 'service-notices',
      subject: 'x',
      mjml: '<mjml>\n<mj-body>\n<mj-section>\n<mj-column>\n<mj-bogus>hi</mj-bogus>\n</mj-column>\n</mj-section>\n</mj-body>\n</mjml>',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe('invalid_template');
    expect(invalid.body.error.details[0]).toMatchObject({ field: 'mjml', line: 5 });
    const moved = await h.request('POST', '/v1/templates', {
      key,
      category: 'newsletter',
      subject: 'x',
      mjml: VALID_MJML,
    });
    expect(moved.status).toBe(422);
    expect(moved.body.error.code).toBe('category_mismatch');
    const unknownCategory = await h.request('POST', '/v1/templates', {
      key: `${key}-x`,
      category: 'no-such-category',
      subject: 'x',
      mjml: VALID_MJML,
    });
    expect(unknownCategory.body.error.code).toBe('unknown_category');
    expect((await h.request('GET', `/v1/templates/${key}`)).body.version).toBe(2);
  });

  it('renders a version from its stored MJML output, and from its MJML when it has none', async () => {
    const key = `stored-${Date.now().toString(36)}`;
    const saved = await h.request('POST', '/v1/templates', {
      key,
      category: 'service-notices',
      subject: 'Hi {{name}}',
      mjml: VALID_MJML,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const row = await h.db.template.findFirstOrThrow({ where: { key } });
    // A copy of the output with a marker proves which of the two the renderer used.
    const marked = (row.html ?? '').replace('your {{thing}} is ready.', 'your {{thing}} is ready (stored).');
    expect(marked).not.toBe(row.html);
    await h.db.template.update({ where: { id: row.id }, data: { html: marked } });
    const data = { data: { name: 'Ada', thing: 'order' } };
    const fromStored = await h.request('POST', `/v1/templates/${key}/preview`, data);
    expect(fromStored.body.html).toContain('your order is ready (stored).');

    await h.db.template.update({ where: { id: row.id }, data: { html: null } });
    const fromMjml = await h.request('POST', `/v1/templates/${key}/preview`, data);
    expect(fromMjml.status).toBe(200);
    expect(fromMjml.body.html).toContain('your order is ready.');
    expect(fromMjml.body.html).not.toContain('(stored)');
  });

  it('previews with given data and names a missing variable', async () => {
    const ok = await h.request('POST', '/v1/templates/service-notice/preview', {
      data: { title: 'Hello <b>there</b>', body: 'Text' },
    });
    expect(ok.body.html).toContain('Hello &lt;b&gt;there&lt;/b&gt;');
    const missing = await h.request('POST', '/v1/templates/service-notice/preview', {
      data: { title: 'No body' },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toContain('body');
  });

  it('creates categories and refuses a required promotional one', async () => {
    const key = `digest-${Date.now().toString(36)}`;
    const created = await h.request('POST', '/v1/categories', {
      key,
      name: 'Digest',
      description: 'A weekly digest',
      class: 'promotional',
    });
    expect(created.status).toBe(201);
    const dup = await h.request('POST', '/v1/categories', {
      key,
      name: 'Digest',
      description: 'again',
      class: 'promotional',
    });
    expect(dup.status).toBe(409);
    const required = await h.request('POST', '/v1/categories', {
      key: `${key}-r`,
      name: 'R',
      description: 'r',
      class: 'promotional',
      required: true,
    });
    expect(required.status).toBe(400);
    expect(required.body.error.message).toContain('required');
  });
});
