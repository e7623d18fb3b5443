import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplicationContext } from '@nestjs/common';
import { terminateDatabaseBackends } from '@herald/test-support';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * pg_terminate_backend (a failover, a restart, an operator) ends every session of the database while
 * two workers deliver: the first statements on the pools' dead connections fail, the claims a failed
 * delivery took must go back at once, and each message must go out within seconds, once. The
 * reconciler never runs during the test (its interval is far longer than the test), and a message
 * left `sending` under its worker's live claim would wait for it: only the delivery path itself can
 * deliver every message within the bounded wait.
 */
const MESSAGES = 30;
const NOTICE = { title: 'Maintenance window', body: 'We will be read-only for 20 minutes on Saturday.' };
/**
 * Rounds of terminations while the messages are delivered. A round ends the sessions four times a few
 * milliseconds apart, so the statements a failed delivery makes at once (giving its claim back) meet
 * sessions that are ending too.
 */
const MAX_ROUNDS = 100;
const ROUND_EVERY_MS = 60;
/**
 * And at most this long. On an idle machine the rounds end within a few seconds, once every message
 * has arrived; beside a full suite a round takes several times longer, and in one such run the
 * rounds kept every session ending for about 40 s. A delivery retries a statement on a lost
 * connection for seconds (3 s to give a claim back, about 6 s to record an accepted message); a
 * claim whose statements fail past those retries is settled by its own worker once the database
 * answers (worker-recovery/requeue-orphaned-claims.ts, requeueClaimsLeftBehind), which the bounded
 * wait below leaves time for.
 */
const TERMINATING_MS = 10_000;

let h: Harness;
let first: INestApplicationContext | null = null;
beforeAll(async () => {
  h = await startHarness({
    env: {
      RECONCILE_INTERVAL_MS: String(60 * 60 * 1000),
      STALE_CLAIM_MS: String(60 * 60 * 1000),
      // Few slots and a slow DATA reply spread the deliveries over the terminations.
      TRANSACTIONAL_SMTP_SLOTS: '2',
      DELIVERY_BACKOFF_MS: '200',
      DELIVERY_MAX_BACKOFF_MS: '1000',
      DELIVERY_ATTEMPTS: '20',
    },
  });
});
afterAll(async () => {
  await first?.close();
  await h?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL sessions terminated while transactional mail is delivered', () => {
  it('delivers every message once, without waiting for the reconciler', async () => {
    const ids: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const response = await h.request('POST', '/v1/messages', {
        template: 'service-notice',
        to: { email: uniqueEmail(`terminate-${i}`) },
        data: NOTICE,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      ids.push(response.body.id as string);
    }
    h.catcher.delay('data', 200);
    first = await h.startWorker();
    await h.startWorker();

    let ended = 0;
    const stopTerminatingAt = Date.now() + TERMINATING_MS;
    for (let round = 0; round < MAX_ROUNDS && Date.now() < stopTerminatingAt; round++) {
      if (ids.every((id) => h.catcher.received.has(id))) break;
      for (let k = 0; k < 4; k++) {
        ended += await terminateDatabaseBackends(h.env.DATABASE_URL ?? '');
        await sleep(2 + k * 3);
      }
      await sleep(ROUND_EVERY_MS);
    }
    expect(ended).toBeGreaterThan(0);
    h.catcher.delay('data', 0);

    // Bounded: a retry costs seconds; a claim left for the reconciler would never be sent here.
    const statuses = new Map<string, unknown>();
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && statuses.size < ids.length) {
      for (const id of ids.filter((id) => !statuses.has(id))) {
        const { status, body } = await h.request('GET', `/v1/messages/${id}`);
        // A GET on one of the API's own terminated connections answers 500: asked again next round.
        if (status === 200 && body.status !== 'queued' && body.status !== 'sending')
          statuses.set(id, body.status);
      }
      await sleep(100);
    }
    const unsettled = ids.filter((id) => !statuses.has(id));
    // What became of a message left unsettled, for whoever reads a failure.
    const unsettledViews = await Promise.all(
      unsettled.map(async (id) => (await h.request('GET', `/v1/messages/${id}`)).body),
    );
    expect(unsettled, `messages still queued or sending: ${JSON.stringify(unsettledViews)}`).toEqual([]);
    expect(ids.map((id) => statuses.get(id))).toEqual(ids.map(() => 'sent'));
    expect(ids.map((id) => h.catcher.received.get(id))).toEqual(ids.map(() => 1));
  }, 60_000);
});
