import { beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { lacks, useHeraldApi } from './support/scoped-keys.js';

/**
 * HERALD_WEB_API_KEY, the public web app's key: it sends the sign-in mail (only that template, only
 * to a known contact, only with a link into the web app), reads and acknowledges a contact's notices
 * and the announced policy versions, and nothing else.
 */
const WEB_URL = 'https://prefs.example.test';
const api = useHeraldApi({ PUBLIC_WEB_URL: WEB_URL });
let web: ApiClient;
let contactId: string;

beforeAll(async () => {
  web = createApiClient(api.herald.apiUrl, api.herald.webApiKey);
  const contact = await api.herald.client.call('POST', '/v1/contacts', {
    email: `web-${randomBytes(5).toString('hex')}@example.test`,
  });
  contactId = contact.body.id;
});

const signIn = (overrides: Record<string, unknown> = {}) => ({
  template: 'security-sign-in',
  to: { contactId },
  data: { signInUrl: `${WEB_URL}/account/sign-in/${randomBytes(16).toString('hex')}`, expiresInMinutes: 15 },
  ...overrides,
});

const messagesOf = (id: string) => api.db.message.count({ where: { contactId: id } });

describe('the web app key', () => {
  it('sends the sign-in mail to a contact', async () => {
    const before = await messagesOf(contactId);
    const response = await web.call('POST', '/v1/messages', signIn());
    expect(response.status).toBe(202);
    expect(await messagesOf(contactId)).toBe(before + 1);
  });

  it('sends the opt-in confirmation mail, only with a link to the confirmation page', async () => {
    const confirmation = (confirmUrl: string) => ({
      template: 'consent-confirmation',
      to: { contactId },
      data: { confirmUrl, choices: 'Newsletter', expiresInMinutes: 60 },
    });
    const before = await messagesOf(contactId);
    const sent = await web.call('POST', '/v1/messages', confirmation(`${WEB_URL}/preferences/confirm/abc`));
    expect(sent.status).toBe(202);
    for (const elsewhere of [
      `${WEB_URL}/account/sign-in/abc`,
      'https://evil.example/preferences/confirm/abc',
    ]) {
      const refused = await web.call('POST', '/v1/messages', confirmation(elsewhere));
      expect(refused.status, elsewhere).toBe(403);
      expect(refused.body.error.message).toContain('consent-confirmation with a confirmUrl under');
    }
    expect(await messagesOf(contactId)).toBe(before + 1);
  });

  it('cannot send another template, to an address, or a sign-in mail linking elsewhere', async () => {
    const email = `victim-${randomBytes(5).toString('hex')}@example.test`;
    const before = await messagesOf(contactId);
    const attempts = [
      signIn({ template: 'service-notice', data: { title: 'Urgent', body: 'Click here.' } }),
      signIn({ to: { email } }),
      signIn({ data: { signInUrl: 'https://evil.example/account/sign-in/x', expiresInMinutes: 15 } }),
      signIn({ data: { signInUrl: `${WEB_URL}.evil.example/account/sign-in/x`, expiresInMinutes: 15 } }),
    ];
    for (const attempt of attempts) {
      const response = await web.call('POST', '/v1/messages', attempt);
      expect(response.status, JSON.stringify(attempt)).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
      expect(response.body.error.message).toMatch(/^This key lacks the scope "messages:send"\./);
    }
    expect(await messagesOf(contactId)).toBe(before);
    expect(await api.db.contact.count({ where: { email } })).toBe(0);
  });

  it('cannot create campaigns, templates or keys, nor read contacts', async () => {
    const campaigns = await api.db.campaign.count();
    const campaign = await web.call('POST', '/v1/campaigns', {
      name: 'From the web',
      template: 'newsletter',
    });
    expect(campaign.status).toBe(403);
    expect(campaign.body).toEqual(lacks('campaigns'));
    expect(await api.db.campaign.count()).toBe(campaigns);

    expect((await web.call('GET', '/v1/templates')).body).toEqual(lacks('templates'));
    expect((await web.call('GET', `/v1/contacts/${contactId}`)).body).toEqual(lacks('contacts:read'));
    expect((await web.call('GET', '/v1/api-keys')).body).toEqual(lacks('admin'));
  });

  it("reads a contact's notices, and the announced policy versions but not drafts", async () => {
    const notices = await web.call('GET', `/v1/contacts/${contactId}/notices?pending=true`);
    expect(notices.status).toBe(200);
    expect(notices.body).toEqual({ notices: [] });

    const draft = await api.herald.client.call('POST', '/v1/policies', {
      version: `draft-${randomBytes(3).toString('hex')}`,
      title: 'A draft',
      summary: 'Not announced yet.',
      url: 'https://example.test/policy/draft',
      effectiveAt: new Date(Date.now() + 60 * 86_400_000).toISOString(),
    });
    expect(draft.status).toBe(201);
    const listed = await web.call('GET', '/v1/policies?status=announced,effective');
    expect(listed.status).toBe(200);
    const unfiltered = await web.call('GET', '/v1/policies');
    expect(unfiltered.status).toBe(200);
    for (const { policies } of [listed.body, unfiltered.body]) {
      expect(policies.map((p: { id: string }) => p.id)).not.toContain(draft.body.id);
    }
    const drafts = await web.call('GET', '/v1/policies?status=draft');
    expect(drafts.status).toBe(403);
    expect((await web.call('GET', `/v1/policies/${draft.body.id}`)).body).toEqual(lacks('policies'));
    const all = await api.herald.client.call('GET', '/v1/policies');
    expect(all.body.policies.map((p: { id: string }) => p.id)).toContain(draft.body.id);
  });
});
