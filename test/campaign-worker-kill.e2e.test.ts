import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  campaignOutcome,
  type CampaignScene,
  insertRunContacts,
  NEWSLETTER_DATA,
  sleep,
  startCampaignScene,
  waitForCampaignStatus,
} from './support/campaign-processes.js';

/**
 * Surviving failure with real process kills: a 300-contact campaign while the worker is killed with
 * SIGKILL and started again, and while Redis loses every key of the installation. The database is
 * the source of truth: every targeted contact ends with exactly one message in a final status, and
 * duplicates at the SMTP server stay within what the worker had in flight (the design aims for none).
 */
const SMTP_POOL_SIZE = 3;
const IN_FLIGHT = SMTP_POOL_SIZE * 2; // the worker's send slots: messages between render and recorded outcome
let scene: CampaignScene;
beforeAll(async () => {
  scene = await startCampaignScene({
    SMTP_POOL_SIZE: String(SMTP_POOL_SIZE),
    CAMPAIGN_BATCH_SIZE: '20',
    CAMPAIGN_CONCURRENCY: '2',
  });
});
afterAll(async () => scene?.close());

async function startCampaign(count: number) {
  const run = `kill-${randomBytes(5).toString('hex')}`;
  const contacts = await insertRunContacts(scene.db, run, count);
  const created = await scene.call('POST', '/v1/campaigns', {
    name: `Survival ${run}`,
    template: 'newsletter',
    data: NEWSLETTER_DATA,
    audience: { attributes: { run } },
    sendAt: new Date().toISOString(),
    ratePerSecond: 100,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id as string, contacts };
}

async function expectEveryContactOnce(id: string, contacts: { id: string }[]) {
  const done = await waitForCampaignStatus(scene, id, 'sent');
  const { messages, duplicated, neverReceived } = await campaignOutcome(scene, id);
  expect(done.counts).toMatchObject({ targeted: contacts.length, sent: contacts.length, queued: 0 });
  expect(new Set(messages.map((m) => m.contactId))).toEqual(new Set(contacts.map((c) => c.id)));
  expect(messages.every((m) => m.status === 'sent')).toBe(true);
  expect(neverReceived).toBe(0);
  expect(duplicated).toBeLessThanOrEqual(IN_FLIGHT);
  return duplicated;
}

describe('a campaign survives its worker and its Redis', () => {
  it('worker killed with SIGKILL mid-campaign and started again: nobody lost, nobody twice (within in-flight)', async () => {
    const { id, contacts } = await startCampaign(300);
    const before = scene.received.size;
    while (scene.received.size - before < 60) await sleep(20);
    const exited = new Promise((resolve) => scene.worker.child.once('exit', resolve));
    scene.worker.child.kill('SIGKILL');
    await exited;
    const atKill = scene.received.size - before;
    expect(atKill).toBeLessThan(300);
    scene.startWorker();
    const duplicated = await expectEveryContactOnce(id, contacts);
    const events = await scene.db.messageEvent.findMany({
      where: { message: { campaignId: id }, type: { in: ['sent', 'requeued'] } },
      select: { type: true, detail: true },
    });
    const recovered = events.filter(
      (e) => e.type === 'sent' && JSON.stringify(e.detail).includes('recovered'),
    );
    const requeued = events.filter((e) => e.type === 'requeued');
    console.log(
      `worker kill: ${atKill}/300 delivered before the kill; of the dead worker's claims ${recovered.length} were recorded as sent from its marks and ${requeued.length} requeued; ${duplicated} duplicate(s)`,
    );
  });

  it('Redis loses every key of the installation mid-campaign: the scheduler enqueues what was lost', async () => {
    const { id, contacts } = await startCampaign(300);
    const before = scene.received.size;
    while (scene.received.size - before < 60) await sleep(20);
    const deleted = await scene.flushQueuePrefix();
    expect(deleted).toBeGreaterThan(0);
    const duplicated = await expectEveryContactOnce(id, contacts);
    console.log(`redis flush: ${deleted} keys deleted, ${duplicated} duplicate(s)`);
  });

  it('a scheduled campaign survives the API, the worker and Redis all going away before it is due', async () => {
    const run = `restart-${randomBytes(5).toString('hex')}`;
    const contacts = await insertRunContacts(scene.db, run, 20);
    const created = await scene.call('POST', '/v1/campaigns', {
      name: `Restart ${run}`,
      template: 'newsletter',
      data: NEWSLETTER_DATA,
      audience: { attributes: { run } },
      sendAt: new Date(Date.now() + 4000).toISOString(),
    });
    expect(created.body.status).toBe('scheduled');
    const exits = [scene.api, scene.worker].map(
      (p) => new Promise((resolve) => p.child.once('exit', resolve)),
    );
    scene.api.child.kill('SIGKILL');
    scene.worker.child.kill('SIGKILL');
    await Promise.all(exits);
    await scene.flushQueuePrefix();
    await sleep(4500);
    await scene.startApi();
    scene.startWorker();
    await expectEveryContactOnce(created.body.id, contacts);
  });
});
