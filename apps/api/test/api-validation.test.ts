import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const expectError = (response: { status: number; body: any }, status: number, code: string) => {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
};

describe('authentication', () => {
  it('refuses /v1 without the API key or with a wrong one, and serves /health and /docs without it', async () => {
    expectError(
      await h.request('GET', '/v1/categories', undefined, { authorization: '' }),
      401,
      'unauthorized',
    );
    expectError(
      await h.request('GET', '/v1/categories', undefined, { authorization: 'Bearer wrong-key-000000000' }),
      401,
      'unauthorized',
    );
    const health = await h.request('GET', '/health', undefined, { authorization: '' });
    expect(health).toEqual({ status: 200, body: { status: 'ok', database: 'ok', redis: 'ok' } });
    const docs = await h.request('GET', '/docs', undefined, { authorization: '' });
    expect(docs.body.openapi).toBe('3.1.0');
    expect(Object.keys(docs.body.paths)).toContain('/v1/messages');
    expect(
      docs.body.paths['/v1/messages'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('template');
  });
});

describe('bad input gets a 4xx that names the problem and changes nothing', () => {
  it('rejects unknown fields, wrong types and malformed emails on contacts', async () => {
    const email = uniqueEmail('bad');
    const unknown = await h.request('POST', '/v1/contacts', { email, nickname: 'x' });
    expectError(unknown, 400, 'invalid_request');
    expect(unknown.body.error.message).toContain('nickname');
    const wrongType = await h.request('POST', '/v1/contacts', { email, name: 42 });
    expectError(wrongType, 400, 'invalid_request');
    expect(wrongType.body.error.message).toContain('name');
    const badEmail = await h.request('POST', '/v1/contacts', { email: 'not-an-address' });
    expectError(badEmail, 400, 'invalid_request');
    expect(badEmail.body.error.message).toContain('email');
    const badZone = await h.request('POST', '/v1/contacts', { email, timezone: 'Mars/Olympus' });
    expect(badZone.body.error.message).toContain('timezone');
    expect(await h.db.contact.count({ where: { email } })).toBe(0);
  });

  it('rejects malformed JSON, non-objects and oversized bodies', async () => {
    expectError(await h.request('POST', '/v1/contacts', '{"email": '), 400, 'invalid_json');
    expectError(await h.request('POST', '/v1/contacts', '[1,2]'), 400, 'invalid_request');
    const huge = JSON.stringify({ email: uniqueEmail('huge'), name: 'x'.repeat(300 * 1024) });
    expectError(await h.request('POST', '/v1/contacts', huge), 413, 'payload_too_large');
  });

  it('rejects unknown templates, unknown contacts, bad recipients and missing variables without creating a message', async () => {
    const before = await h.db.message.count();
    const email = uniqueEmail('msg');
    expectError(
      await h.request('POST', '/v1/messages', { template: 'no-such-template', to: { email }, data: {} }),
      422,
      'unknown_template',
    );
    expectError(
      await h.request('POST', '/v1/messages', {
        template: 'service-notice',
        to: { contactId: '0190a0a0-0000-7000-8000-000000000000' },
        data: { title: 't', body: 'b' },
      }),
      422,
      'unknown_contact',
    );
    const badTo = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: 'nope' },
      data: {},
    });
    expectError(badTo, 400, 'invalid_request');
    expect(badTo.body.error.message).toContain('to');
    const missing = await h.request('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email },
      data: { title: 'Only a title' },
    });
    expectError(missing, 422, 'invalid_template_data');
    expect(missing.body.error.message).toContain('body');
    const mistyped = await h.request('POST', '/v1/messages', {
      template: 'security-sign-in',
      to: { email },
      data: { signInUrl: 'https://x.example/s', expiresInMinutes: 'soon' },
    });
    expectError(mistyped, 422, 'invalid_template_data');
    expect(mistyped.body.error.message).toContain('expiresInMinutes');
    const classSupplied = await h.request('POST', '/v1/messages', {
      template: 'newsletter',
      to: { email },
      data: {},
      class: 'transactional',
    });
    expectError(classSupplied, 400, 'invalid_request');
    expect(classSupplied.body.error.message).toContain('class');
    expect(await h.db.message.count()).toBe(before);
  });

  it('answers bad ids, unknown ids and unknown routes with 4xx', async () => {
    expectError(await h.request('GET', '/v1/messages/not-a-uuid'), 400, 'invalid_request');
    expectError(
      await h.request('GET', '/v1/messages/0190a0a0-0000-7000-8000-000000000000'),
      404,
      'not_found',
    );
    expectError(
      await h.request('GET', '/v1/contacts/0190a0a0-0000-7000-8000-000000000000'),
      404,
      'not_found',
    );
    expectError(await h.request('GET', '/v1/nothing-here'), 404, 'not_found');
    expectError(await h.request('GET', '/v1/messages?status=lost'), 400, 'invalid_request');
  });
});
