import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentLog,
  deliver,
  feedbackState,
  messageState,
  nextMessage,
  suppressionReasons,
} from './support/feedback-scenarios.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true });
});
afterAll(async () => h?.close());

describe('POST /v1/feedback', () => {
  it('needs the API key', async () => {
    const response = await h.request(
      'POST',
      '/v1/feedback',
      { type: 'complaint', email: uniqueEmail() },
      {
        authorization: '',
      },
    );
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
  });

  it('a hard bounce of a message answers 202, bounces it and suppresses the address for all mail', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const response = await h.request('POST', '/v1/feedback', {
      type: 'bounce',
      messageId: sent.id,
      bounce: 'hard',
      status: '5.1.1',
      detail: '550 5.1.1 <someone@example.test>: Recipient address rejected: User unknown',
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ id: expect.any(String), matched: true, effect: 'suppressed' });
    expect(await messageState(h, sent.id)).toEqual({
      status: 'bounced',
      events: ['queued', 'sent', 'bounced'],
    });
    expect(await consentLog(h, sent.contactId)).toEqual([
      expect.objectContaining({ action: 'suppress', source: 'bounce' }),
    ]);
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({
      status: 'suppressed',
      reason: 'hard-bounce',
    });
    const report = await h.db.feedbackReport.findUnique({ where: { id: response.body.id } });
    expect(report).toMatchObject({ channel: 'api', kind: 'hard-bounce', status: '5.1.1', matched: true });
  });

  it('a complaint by address alone suppresses the next newsletter while security mail still goes', async () => {
    const sent = await deliver(h, 'newsletter');
    const response = await h.request('POST', '/v1/feedback', {
      type: 'complaint',
      email: sent.email.toUpperCase(),
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ matched: true, effect: 'suppressed' });
    expect(await suppressionReasons(h, sent.email)).toEqual(['complaint']);
    expect(await nextMessage(h, 'newsletter', sent.email)).toEqual({
      status: 'suppressed',
      reason: 'complaint',
    });
    expect((await nextMessage(h, 'security-sign-in', sent.email)).status).toBe('sent');
  });

  it('a soft bounce, a bounce classified soft by its status, and a refusal of the sender do not suppress', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const soft = await h.request('POST', '/v1/feedback', {
      type: 'bounce',
      messageId: sent.id,
      bounce: 'soft',
    });
    expect(soft.body).toMatchObject({ matched: true, effect: 'soft-bounce-counted' });
    const full = await h.request('POST', '/v1/feedback', {
      type: 'bounce',
      messageId: sent.id,
      status: '5.2.2',
    });
    expect(full.body).toMatchObject({ effect: 'soft-bounce-counted' });
    // A 5.7.x refusal is about the sender, whatever the caller calls it.
    const blocked = await h.request('POST', '/v1/feedback', {
      type: 'bounce',
      messageId: sent.id,
      bounce: 'hard',
      status: '5.7.1',
    });
    expect(blocked.body).toMatchObject({ matched: true, effect: 'recorded' });
    expect(await suppressionReasons(h, sent.email)).toEqual([]);
    expect((await messageState(h, sent.id)).status).toBe('sent');
    expect(await nextMessage(h, 'security-sign-in', sent.email)).toEqual({ status: 'sent' });
  });

  it('a bounce with no detail at all is hard', async () => {
    const sent = await deliver(h, 'security-sign-in');
    const response = await h.request('POST', '/v1/feedback', { type: 'bounce', email: sent.email });
    expect(response.body).toMatchObject({ matched: true, effect: 'suppressed' });
    expect(await suppressionReasons(h, sent.email)).toEqual(['hard_bounce']);
  });

  it('an unknown messageId is accepted and kept unmatched, and changes nothing else', async () => {
    const before = await feedbackState(h);
    const response = await h.request('POST', '/v1/feedback', {
      type: 'bounce',
      messageId: '01900000-0000-7000-8000-000000000000',
      bounce: 'hard',
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ id: expect.any(String), matched: false, effect: 'none' });
    expect(await feedbackState(h)).toEqual({ ...before, reports: before.reports + 1 });
  });

  it('refuses a body that names neither message nor address, or is malformed, with 400 naming the problem', async () => {
    const before = await feedbackState(h);
    const cases: [object, RegExp][] = [
      [{ type: 'bounce', bounce: 'hard' }, /messageId.*email/],
      [{ type: 'spam', email: uniqueEmail() }, /type/],
      [{ type: 'bounce', email: 'not-an-address' }, /email/],
      [{ type: 'bounce', messageId: 'abc' }, /messageId/],
      [{ type: 'bounce', email: uniqueEmail(), status: '550' }, /status/],
      [{ type: 'complaint', email: uniqueEmail(), bounce: 'hard' }, /bounce/],
      [{ type: 'bounce', email: uniqueEmail(), bounce: 'permanent' }, /bounce/],
      [{ type: 'bounce', email: uniqueEmail(), reason: 'x' }, /reason/],
    ];
    for (const [body, problem] of cases) {
      const response = await h.request('POST', '/v1/feedback', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('invalid_request');
      expect(response.body.error.message, JSON.stringify(body)).toMatch(problem);
    }
    expect(await feedbackState(h)).toEqual(before);
  });

  it('is in the OpenAPI document, with the provider webhooks outside the API key', async () => {
    const docs = await h.request('GET', '/docs');
    expect(docs.body.paths['/v1/feedback'].post.security).toEqual([{ bearer: [] }, { console: [] }]);
    expect(docs.body.paths['/v1/feedback'].post['x-herald-scope']).toBe('feedback');
    expect(
      Object.keys(
        docs.body.paths['/v1/feedback'].post.requestBody.content['application/json'].schema.properties,
      ),
    ).toEqual(['type', 'messageId', 'email', 'bounce', 'status', 'detail']);
    for (const provider of ['ses', 'sendgrid', 'postmark', 'mailgun']) {
      expect(docs.body.paths[`/hooks/${provider}`].post.security).toBeUndefined();
    }
  });
});
