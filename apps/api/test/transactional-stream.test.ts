import { Prisma } from '@herald/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';
import { createNewsletterCampaign, insertContacts, newRun, waitForCampaign } from './support/campaigns.js';

const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };
/**
 * How long the server holds its answer to a campaign recipient's retried RCPT TO. Only the sign-in's
 * own path has to fit in it; the campaign's two messages take twice as long in the end.
 */
const HOLD_MS = 8_000;
const isCampaign = (address: string) => address.startsWith('throttled-');
/** How many RCPT TO the server has been sent for each campaign recipient. */
const rcpts = new Map<string, number>();
/** Campaign recipients whose RCPT TO reply the server is holding back right now. */
const held = new Set<string>();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    env: {
      SCHEDULER_INTERVAL_MS: '100',
      CAMPAIGN_BATCH_SIZE: '10',
      CAMPAIGN_CONCURRENCY: '1',
      // Two bulk workers and two bulk send slots (one per SMTP_POOL_SIZE connection), as many as the
      // campaign has messages; the transactional stream has as many of its own.
      WORKER_CONCURRENCY: '2',
      SMTP_POOL_SIZE: '2',
      TRANSACTIONAL_CONCURRENCY: '2',
      TRANSACTIONAL_SMTP_SLOTS: '2',
      DELIVERY_ATTEMPTS: '5',
      DELIVERY_BACKOFF_MS: '100',
    },
    smtp: {
      // The receiving server throttles the campaign's recipients: 421 at first, so each message is
      // retried alone as a single send…
      rcptHandler: (address) => {
        if (!isCampaign(address)) return null;
        const seen = (rcpts.get(address) ?? 0) + 1;
        rcpts.set(address, seen);
        return seen === 1 ? { code: 421, message: '4.7.0 Too many messages, slow down' } : null;
      },
      // …and the retry's transaction is then kept open, its RCPT TO answered only after HOLD_MS.
      rcptDelayMs: (address) => {
        if (!isCampaign(address) || (rcpts.get(address) ?? 0) < 2) return 0;
        held.add(address);
        setTimeout(() => held.delete(address), HOLD_MS);
        return HOLD_MS;
      },
    },
  });
}, 60_000);
afterAll(async () => h?.close());

/** The campaign's messages that hold a send slot now: claimed for this try and stamped as started. */
async function startedSends(campaignId: string): Promise<number> {
  const [row] = await h.db.$queryRaw<{ n: number }[]>(Prisma.sql`
    SELECT count(*)::int AS n FROM messages
     WHERE campaign_id = ${campaignId}::uuid AND status = 'sending' AND send_started_at >= claimed_at`);
  return row?.n ?? 0;
}

describe('transactional mail has a stream of its own', () => {
  it('sends a sign-in link while a throttled campaign holds every bulk worker and send slot', async () => {
    const run = newRun();
    const contacts = await insertContacts(h, { run, count: 2, label: 'throttled' });
    const campaignId = await createNewsletterCampaign(h, run, { name: `Throttled ${run}` });

    // Both retries are under way: each holds a bulk worker and a bulk send slot, and the server sits
    // on the first one's RCPT TO. Had transactional mail shared those workers or slots, a sign-in
    // link could not start before one of these campaign messages had been received.
    await vi.waitFor(
      async () => {
        expect(held.size).toBeGreaterThanOrEqual(1);
        expect(await startedSends(campaignId)).toBe(2);
      },
      { timeout: 15_000, interval: 50 },
    );

    // What the server had received of the campaign at the moment the sign-in link arrived.
    const email = uniqueEmail('sign-in');
    let campaignMailBeforeSignIn: number | undefined;
    let heldAtSignIn: number | undefined;
    const unsubscribe = h.catcher.onMessage((message) => {
      if (!message.envelope.to.includes(email)) return;
      campaignMailBeforeSignIn = h.catcher.messages().filter((m) => m.envelope.to.some(isCampaign)).length;
      heldAtSignIn = held.size;
    });
    const signIn = await h.request('POST', '/v1/messages', {
      template: 'security-sign-in',
      to: { email },
      data: SIGN_IN,
    });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(202);
    // Waited for longer than the campaign's holds, so that a sign-in stuck behind them fails on the
    // order of arrival below rather than on this wait.
    const message = await waitForStatus(h, signIn.body.id, 3 * HOLD_MS);
    unsubscribe();
    expect(message.status).toBe('sent');
    expect(h.catcher.received.get(signIn.body.id)).toBe(1);
    // The sign-in link went through while the campaign's transaction was still open, nothing of it received.
    expect(campaignMailBeforeSignIn).toBe(0);
    expect(heldAtSignIn).toBeGreaterThanOrEqual(1);

    // The campaign was only held up, not lost: both of its messages go once the server answers.
    const campaign = await waitForCampaign(h, campaignId, (c) => c.status === 'sent', 4 * HOLD_MS);
    expect(campaign.counts.sent).toBe(2);
    const campaignMail = h.catcher.messages().filter((m) => m.envelope.to.some(isCampaign));
    expect(campaignMail.map((m) => m.envelope.to[0]).sort()).toEqual(contacts.map((c) => c.email).sort());
  }, 60_000);
});
