import type { RcptRejection } from '@herald/mail-catcher';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';
import {
  campaignMessages,
  createNewsletterCampaign,
  insertContacts,
  newRun,
  sleep,
  waitForCampaign,
  type TestContact,
} from './support/campaigns.js';

/**
 * Issue 10's guardrails through the real send path (API and worker in this process, a real SMTP
 * server refusing chosen recipients): a campaign pauses itself with its reason once the relay has
 * refused the sender BLOCKED_LIMIT times in a row, or once its hard-bounce rate is over the limit
 * after MIN_SENT messages; an accepted message resets the run; what was not sent stays queued; a
 * person's resume clears the reason. The limits are set low here so a few dozen messages cross them.
 */
const BLOCKED_LIMIT = 3;
const MIN_SENT = 10;
const MAX_BOUNCE_RATE = 0.2;
const MAX_COMPLAINT_RATE = 0.1;

/**
 * How the SMTP server answers a campaign's recipients by the order they reach it (the order of the
 * messages is not the order of the contacts: ids are random within a millisecond): "in a row" is
 * the order the relay sees.
 */
const byArrival: { emails: Set<string>; arrived: number; answer: (n: number) => RcptRejection | null }[] = [];
function answerByArrival(contacts: TestContact[], answer: (n: number) => RcptRejection | null) {
  byArrival.push({ emails: new Set(contacts.map((c) => c.email.toLowerCase())), arrived: 0, answer });
}
const SENDER_BLOCKED = { code: 554, message: '5.7.1 Service unavailable; sender blocked' };
const NO_SUCH_USER = { code: 550, message: '5.1.1 No such user' };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    smtp: {
      rcptHandler: (address) => {
        const rule = byArrival.find((r) => r.emails.has(address.toLowerCase()));
        return rule ? rule.answer(rule.arrived++) : null;
      },
    },
    env: {
      SCHEDULER_INTERVAL_MS: '100',
      CAMPAIGN_BATCH_SIZE: '5',
      // One batch at a time: with a rate, the order the relay sees is nearly the message order.
      CAMPAIGN_CONCURRENCY: '1',
      HERALD_GUARDRAIL_BLOCKED_LIMIT: String(BLOCKED_LIMIT),
      HERALD_GUARDRAIL_MIN_SENT: String(MIN_SENT),
      HERALD_CAMPAIGN_MAX_BOUNCE_RATE: String(MAX_BOUNCE_RATE),
      HERALD_CAMPAIGN_MAX_COMPLAINT_RATE: String(MAX_COMPLAINT_RATE),
    },
  });
});
afterAll(async () => h?.close());

const receivedBy = (contacts: TestContact[]) => {
  const emails = new Set(contacts.map((c) => c.email));
  return h.catcher.messages().filter((m) => m.envelope.to.some((to) => emails.has(to))).length;
};

/** Waits until none of the campaign's messages is being sent, then answers them by status. */
async function settledStatuses(id: string): Promise<Record<string, number>> {
  await vi.waitFor(
    async () => expect((await campaignMessages(h, id)).filter((m) => m.status === 'sending')).toHaveLength(0),
    { timeout: 10_000, interval: 50 },
  );
  const byStatus: Record<string, number> = {};
  for (const m of await campaignMessages(h, id)) byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
  return byStatus;
}

describe('the blocked guardrail', () => {
  it('pauses a campaign the relay refuses in a row, keeps the rest queued, and a resume clears the reason', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 15 });
    answerByArrival(contacts, () => SENDER_BLOCKED);
    const id = await createNewsletterCampaign(h, run, { ratePerSecond: 20 });

    const paused = await waitForCampaign(h, id, (c) => c.status === 'paused');
    expect(paused.pausedReason).toBe('blocked');
    expect(paused.pausedAt).not.toBeNull();
    expect(paused.guardrails).toMatchObject({
      sent: 0,
      blockedRun: expect.any(Number),
      limits: { minSent: MIN_SENT, blockedLimit: BLOCKED_LIMIT, maxBounceRate: MAX_BOUNCE_RATE },
    });
    expect(paused.guardrails.blockedRun).toBeGreaterThanOrEqual(BLOCKED_LIMIT);

    const atPause = await settledStatuses(id);
    // The sends already in SMTP when it paused end; nothing after them starts.
    expect(atPause.failed).toBeGreaterThanOrEqual(BLOCKED_LIMIT);
    expect(atPause.failed).toBeLessThanOrEqual(BLOCKED_LIMIT + 3);
    expect(atPause.queued).toBe(15 - (atPause.failed ?? 0));
    await sleep(700);
    expect(await settledStatuses(id)).toEqual(atPause);
    const failed = (await campaignMessages(h, id)).filter((m) => m.status === 'failed');
    expect(failed.every((m) => m.reason?.startsWith('blocked: 554 5.7.1'))).toBe(true);

    // A person resumes it: the reason and the run are cleared, and the guardrail is armed again.
    const resumed = await h.request('POST', `/v1/campaigns/${id}/resume`);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'sending', pausedReason: null, pausedAt: null });
    expect(resumed.body.guardrails.blockedRun).toBe(0);
    const again = await waitForCampaign(h, id, (c) => c.status === 'paused');
    expect(again.pausedReason).toBe('blocked');
    const second = await settledStatuses(id);
    expect(second.failed! - atPause.failed!).toBeGreaterThanOrEqual(BLOCKED_LIMIT);
    expect(second.queued).toBeGreaterThan(0);
    expect(receivedBy(contacts)).toBe(0);

    await h.request('POST', `/v1/campaigns/${id}/cancel`);
  });

  it('leaves the reason null when a person pauses', async () => {
    const run = newRun();
    await insertContacts(h, { run, count: 1 });
    const id = await createNewsletterCampaign(h, run, {
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const paused = await h.request('POST', `/v1/campaigns/${id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', pausedReason: null });
    expect(paused.body.pausedAt).not.toBeNull();
    await h.request('POST', `/v1/campaigns/${id}/cancel`);
  });

  it('starts the run again after each accepted message, so refusals that are not in a row never pause', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 12 });
    // Refused, refused, accepted, refused, refused, accepted…: eight refusals in all, never
    // BLOCKED_LIMIT in a row as the relay sees them.
    answerByArrival(contacts, (n) => (n % 3 === 2 ? null : SENDER_BLOCKED));
    const id = await createNewsletterCampaign(h, run, { ratePerSecond: 20 });

    const done = await waitForCampaign(h, id, (c) => c.status === 'sent');
    expect(done.pausedReason).toBeNull();
    expect(done.counts).toMatchObject({ targeted: 12, sent: 4, failed: 8 });
    expect(done.guardrails.blockedRun).toBeLessThan(BLOCKED_LIMIT);
    expect(receivedBy(contacts)).toBe(4);
  });
});

describe('the bounce-rate guardrail', () => {
  it('counts hard bounces at send time and pauses once the rate is over the limit after MIN_SENT', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 60 });
    // Every second address does not exist: a 50% hard-bounce rate, over the 20% limit.
    answerByArrival(contacts, (n) => (n % 2 === 1 ? NO_SUCH_USER : null));
    const id = await createNewsletterCampaign(h, run, { ratePerSecond: 20 });

    const paused = await waitForCampaign(h, id, (c) => c.status === 'paused');
    expect(paused.pausedReason).toBe('bounce-rate');
    const statuses = await settledStatuses(id);
    const left = (statuses.sent ?? 0) + (statuses.bounced ?? 0);
    // Paused as soon as MIN_SENT had left (give or take the sends in flight), far from the end.
    expect(left).toBeGreaterThanOrEqual(MIN_SENT);
    expect(left).toBeLessThanOrEqual(MIN_SENT + 4);
    expect(statuses.queued).toBe(60 - left);

    const view = (await h.request('GET', `/v1/campaigns/${id}`)).body;
    // Each bounce at send time counted once, in the same write that marked the message bounced.
    expect(view.guardrails).toMatchObject({
      sent: left,
      hardBounces: statuses.bounced,
      complaints: 0,
      bounceRate: statuses.bounced! / left,
      complaintRate: 0,
    });
    expect(view.guardrails.bounceRate).toBeGreaterThan(MAX_BOUNCE_RATE);
    const stored = await h.db.campaign.findUniqueOrThrow({ where: { id } });
    expect(stored.hardBounces).toBe(statuses.bounced);
    await sleep(700);
    expect(await settledStatuses(id)).toEqual(statuses);
    expect(receivedBy(contacts)).toBe(statuses.sent);
    await h.request('POST', `/v1/campaigns/${id}/cancel`);
  });

  it('judges a rate that was over its limit before MIN_SENT once MIN_SENT have left, without a new bounce', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 40 });
    // The first three bounce, then none: 3 of 10 (30%) when MIN_SENT have left, 3 of 40 at the end.
    answerByArrival(contacts, (n) => (n < 3 ? NO_SUCH_USER : null));
    const id = await createNewsletterCampaign(h, run, { ratePerSecond: 10 });

    const paused = await waitForCampaign(h, id, (c) => c.status === 'paused');
    expect(paused.pausedReason).toBe('bounce-rate');
    const statuses = await settledStatuses(id);
    expect(statuses.bounced).toBe(3);
    // Paused by the worker's sweep (every second here), while the rate was still over 20%.
    const left = (statuses.sent ?? 0) + 3;
    expect(left).toBeGreaterThanOrEqual(MIN_SENT);
    expect(3 / left).toBeGreaterThan(MAX_BOUNCE_RATE);
    expect(statuses.queued).toBe(40 - left);
    await h.request('POST', `/v1/campaigns/${id}/cancel`);
  });

  it('does not pause before MIN_SENT have left, nor while the rate stays under the limit', async () => {
    const few = newRun();
    const fewContacts = await insertContacts(h, { run: few, count: 8 });
    // Half of them bounce, but only 8 leave: fewer than MIN_SENT to judge by.
    answerByArrival(fewContacts, (n) => (n % 2 === 0 ? NO_SUCH_USER : null));
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 40 });
    // One in ten bounces (10%, under the 20% limit), the first of them second.
    answerByArrival(contacts, (n) => (n % 10 === 1 ? NO_SUCH_USER : null));
    const fewId = await createNewsletterCampaign(h, few, { ratePerSecond: 20 });
    const id = await createNewsletterCampaign(h, run, { ratePerSecond: 40 });

    const fewDone = await waitForCampaign(h, fewId, (c) => c.status === 'sent');
    expect(fewDone.pausedReason).toBeNull();
    expect(fewDone.guardrails).toMatchObject({ sent: 8, hardBounces: 4, bounceRate: 0.5 });
    const done = await waitForCampaign(h, id, (c) => c.status === 'sent');
    expect(done.pausedReason).toBeNull();
    expect(done.counts).toMatchObject({ targeted: 40, sent: 36, bounced: 4 });
    expect(done.guardrails).toMatchObject({ sent: 40, hardBounces: 4, bounceRate: 0.1 });
  });
});
