import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSendAt } from '../src/campaigns/resolve-send-at.js';
import { localSendTimes } from '../src/campaigns/local-send-times.js';
import { startHarness, type Harness } from './support/harness.js';
import {
  campaignMessages,
  insertContacts,
  newRun,
  NEWSLETTER_DATA,
  waitForCampaign,
} from './support/campaigns.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { SCHEDULER_INTERVAL_MS: '100' } });
});
afterAll(async () => h?.close());

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const create = (body: object) => h.request('POST', '/v1/campaigns', body);
const valid = { name: 'Valid', template: 'newsletter', data: NEWSLETTER_DATA, sendAt: inAnHour() };

describe('refusing what cannot be sent, with 4xx and a reason', () => {
  it.each([
    [{ ...valid, template: 'service-notice' }, 422, 'not_promotional'],
    [{ ...valid, template: 'no-such-template' }, 422, 'unknown_template'],
    [{ ...valid, audience: { categories: ['promotions'] } }, 422, 'audience_without_template_category'],
    [
      { ...valid, audience: { categories: ['newsletter', 'security'] } },
      422,
      'audience_category_not_promotional',
    ],
    [{ ...valid, audience: { categories: ['newsletter', 'no-such'] } }, 422, 'unknown_category'],
    [{ ...valid, data: { headline: 'Only a headline' } }, 422, 'invalid_template_data'],
    [{ ...valid, sendAt: '2020-01-01T09:00:00Z' }, 422, 'send_at_in_past'],
    [{ ...valid, sendAt: 'tomorrow' }, 400, 'invalid_request'],
    [{ ...valid, sendAt: '2030-02-30T09:00' }, 400, 'invalid_request'],
    [{ ...valid, timezone: 'Mars/Olympus' }, 400, 'invalid_request'],
    [{ ...valid, ratePerSecond: 0 }, 400, 'invalid_request'],
    [{ ...valid, audience: { locales: ['not a locale!'] } }, 400, 'invalid_request'],
    [{ ...valid, class: 'transactional' }, 400, 'invalid_request'],
  ])('%j → %i %s', async (body, status, code) => {
    const response = await create(body);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.error.code).toBe(code);
  });

  it('answers 404 for an unknown campaign, 400 for a malformed id and 409 for a transition that does not apply', async () => {
    expect((await h.request('GET', '/v1/campaigns/0190a000-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await h.request('POST', '/v1/campaigns/not-a-uuid/pause')).status).toBe(400);
    const draft = await create({ ...valid, sendAt: undefined });
    const resume = await h.request('POST', `/v1/campaigns/${draft.body.id}/resume`);
    expect(resume.status).toBe(409);
    expect(resume.body.error.code).toBe('invalid_transition');
    const scheduled = await create(valid);
    expect((await h.request('POST', `/v1/campaigns/${scheduled.body.id}/pause`)).body.status).toBe('paused');
    expect((await h.request('POST', `/v1/campaigns/${scheduled.body.id}/resume`)).body.status).toBe(
      'scheduled',
    );
    expect((await h.request('POST', `/v1/campaigns/${scheduled.body.id}/cancel`)).body).toMatchObject({
      status: 'cancelled',
      counts: { targeted: 0 },
    });
  });
});

describe('send times', () => {
  it('reads a send time without an offset in the campaign time zone, across a DST change', () => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    expect(resolveSendAt('2026-03-28T09:00', 'Europe/Paris', now).toISOString()).toBe(
      '2026-03-28T08:00:00.000Z',
    );
    expect(resolveSendAt('2026-03-30T09:00', 'Europe/Paris', now).toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
    expect(resolveSendAt('2026-03-30T09:00:00-04:00', 'Europe/Paris', now).toISOString()).toBe(
      '2026-03-30T13:00:00.000Z',
    );
  });

  it('local-time mode: the chosen hour in each zone, at its first occurrence within 24 hours of sendAt', () => {
    const sendAt = new Date('2026-06-10T07:00:00Z'); // 09:00 in Paris (summer time)
    const times = localSendTimes({ sendAt, timezone: 'Europe/Paris' }, [
      'Europe/Paris',
      'America/New_York',
      'Asia/Tokyo',
      'UTC',
      'Not/AZone',
    ]);
    expect(times.get('Europe/Paris')?.toISOString()).toBe('2026-06-10T07:00:00.000Z');
    expect(times.get('UTC')?.toISOString()).toBe('2026-06-10T09:00:00.000Z');
    expect(times.get('America/New_York')?.toISOString()).toBe('2026-06-10T13:00:00.000Z');
    // 09:00 in Tokyo on 10 June was before sendAt, so it is 09:00 on 11 June.
    expect(times.get('Asia/Tokyo')?.toISOString()).toBe('2026-06-11T00:00:00.000Z');
    expect(times.has('Not/AZone')).toBe(false);
  });

  it('sends local-time campaigns now where the hour has come and keeps the rest queued for their hour', async () => {
    const run = newRun();
    const [here] = await insertContacts(h, { run, count: 1, timezone: 'UTC', label: 'utc' });
    const [east] = await insertContacts(h, { run, count: 1, timezone: 'Pacific/Kiritimati', label: 'east' });
    const response = await create({
      ...valid,
      audience: { attributes: { run } },
      sendAt: new Date().toISOString(),
      localTime: true,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const id = response.body.id as string;
    await waitForCampaign(h, id, (c) => c.counts.sent === 1);
    const messages = await campaignMessages(h, id);
    expect(messages.find((m) => m.contactId === here!.id)?.status).toBe('sent');
    expect(messages.find((m) => m.contactId === east!.id)?.status).toBe('queued');
    const waiting = await h.db.message.findFirstOrThrow({ where: { campaignId: id, contactId: east!.id } });
    // Kiritimati is UTC+14: the same wall-clock time comes 10 hours later.
    const expected = localSendTimes({ sendAt: new Date(response.body.sendAt), timezone: 'UTC' }, [
      'Pacific/Kiritimati',
    ]).get('Pacific/Kiritimati');
    expect(waiting.sendAfter?.toISOString()).toBe(expected?.toISOString());
    expect(expected!.getTime() - Date.parse(response.body.sendAt)).toBe(10 * 3_600_000);
    expect(h.catcher.messages().some((m) => m.envelope.to.includes(east!.email))).toBe(false);
    await h.request('POST', `/v1/campaigns/${id}/cancel`);
  });
});
