import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAddress } from '../src/hash-address.js';
import { recordFeedback, type FeedbackInput } from '../src/record-feedback.js';
import {
  connect,
  consentLog,
  createCategory,
  createContact,
  uniqueEmail,
  type CategoryFixture,
} from './support/database.js';

const db = connect();
let promotional: CategoryFixture;
let templateId: string;
beforeAll(async () => {
  promotional = await createCategory(db, { class: 'promotional' });
  const template = await db.template.create({
    data: {
      key: `feedback-${randomUUID()}`,
      version: 1,
      categoryKey: promotional.key,
      subject: 'News',
      mjml: '<mjml></mjml>',
    },
  });
  templateId = template.id;
});
afterAll(() => db.$disconnect());

const LIMIT = { softBounceLimit: 3 };

async function campaign() {
  return db.campaign.create({
    data: {
      name: 'feedback',
      templateId,
      categoryKey: promotional.key,
      audience: { categories: [promotional.key] },
      status: 'sending',
    },
  });
}

async function sentMessage(options: { campaignId?: string } = {}) {
  const contact = await createContact(db);
  const message = await db.message.create({
    data: {
      contactId: contact.id,
      templateId,
      categoryKey: promotional.key,
      class: 'promotional',
      status: 'sent',
      sentAt: new Date(),
      campaignId: options.campaignId ?? null,
    },
  });
  return { contact, message, email: contact.email as string };
}

const suppressionsOf = (email: string) =>
  db.suppression.findMany({ where: { addressHash: hashAddress(email) }, select: { reason: true } });
const eventsOf = (messageId: string) =>
  db.messageEvent.findMany({
    where: { messageId },
    orderBy: { id: 'asc' },
    select: { type: true, detail: true },
  });

describe('recordFeedback', () => {
  it('a hard bounce suppresses the address, bounces the sent message, logs it and counts it in the campaign once', async () => {
    const { id: campaignId } = await campaign();
    const { contact, message, email } = await sentMessage({ campaignId });
    const report: FeedbackInput = {
      channel: 'inbound-smtp',
      kind: 'hard-bounce',
      messageId: message.id,
      status: '5.1.1',
      detail: 'smtp; 550 5.1.1 <x@example.test>: user unknown',
    };
    const [first] = await recordFeedback(db, [report], LIMIT);
    expect(first).toMatchObject({
      matched: true,
      effect: 'suppressed',
      messageId: message.id,
      contactId: contact.id,
      campaignId,
    });
    const [again] = await recordFeedback(db, [report], LIMIT);
    expect(again).toMatchObject({ matched: true, effect: 'recorded' });

    expect(await suppressionsOf(email)).toEqual([{ reason: 'hard_bounce' }]);
    expect(await db.message.findUnique({ where: { id: message.id } })).toMatchObject({
      status: 'bounced',
      reason: expect.stringContaining('5.1.1'),
    });
    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.action, row.source, row.reason, row.messageId, row.campaignId])).toEqual([
      ['suppress', 'bounce', 'hard-bounce', message.id, campaignId],
    ]);
    expect((await eventsOf(message.id)).map((event) => event.type)).toEqual(['bounced', 'bounced']);
    expect(await db.campaign.findUnique({ where: { id: campaignId } })).toMatchObject({
      hardBounces: 1,
      complaints: 0,
    });
    const kept = await db.feedbackReport.findMany({
      where: { messageId: message.id },
      orderBy: { receivedAt: 'asc' },
    });
    expect(kept.map((row) => [row.kind, row.matched, row.effect, row.class])).toEqual([
      ['hard-bounce', true, 'suppressed', 'promotional'],
      ['hard-bounce', true, 'recorded', 'promotional'],
    ]);
  });

  it('a complaint suppresses for complaint, counts once per message, and never bounces the message', async () => {
    const { id: campaignId } = await campaign();
    const { contact, message, email } = await sentMessage({ campaignId });
    const complaint: FeedbackInput = { channel: 'inbound-smtp', kind: 'complaint', messageId: message.id };
    const results = await recordFeedback(db, [complaint, complaint], LIMIT);
    expect(results.map((r) => r.effect)).toEqual(['suppressed', 'recorded']);
    await recordFeedback(db, [complaint], LIMIT);
    expect(await suppressionsOf(email)).toEqual([{ reason: 'complaint' }]);
    expect((await db.message.findUnique({ where: { id: message.id } }))?.status).toBe('sent');
    expect(await db.campaign.findUnique({ where: { id: campaignId } })).toMatchObject({
      complaints: 1,
      hardBounces: 0,
    });
    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.action, row.source, row.reason])).toEqual([
      ['suppress', 'complaint', 'complaint'],
    ]);
  });

  it('soft bounces suppress only at the limit in a row, and a delivery in between starts the count again', async () => {
    const { message, email } = await sentMessage();
    const soft: FeedbackInput = {
      channel: 'sendgrid',
      kind: 'soft-bounce',
      messageId: message.id,
      status: '4.2.2',
    };
    const delivered: FeedbackInput = { channel: 'sendgrid', kind: 'delivery', messageId: message.id };
    const effects = async (inputs: FeedbackInput[]) =>
      (await recordFeedback(db, inputs, LIMIT)).map((result) => result.effect);

    expect(await effects([soft, soft])).toEqual(['soft-bounce-counted', 'soft-bounce-counted']);
    expect(await effects([delivered])).toEqual(['recorded']);
    expect(await effects([soft, soft])).toEqual(['soft-bounce-counted', 'soft-bounce-counted']);
    expect(await suppressionsOf(email)).toEqual([]);
    expect(await effects([soft])).toEqual(['soft-bounce-limit']);
    expect(await suppressionsOf(email)).toEqual([{ reason: 'soft_bounce_limit' }]);
    expect((await db.message.findUnique({ where: { id: message.id } }))?.status).toBe('sent');
  });

  it('a refusal of the sender is recorded on the message and suppresses nobody', async () => {
    const { message, email } = await sentMessage();
    const [result] = await recordFeedback(
      db,
      [
        {
          channel: 'mailgun',
          kind: 'blocked',
          messageId: message.id,
          status: '5.7.1',
          detail: 'blocked as spam',
        },
      ],
      LIMIT,
    );
    expect(result).toMatchObject({ matched: true, effect: 'recorded' });
    expect(await suppressionsOf(email)).toEqual([]);
    expect(await eventsOf(message.id)).toEqual([
      { type: 'blocked-report', detail: expect.objectContaining({ status: '5.7.1', channel: 'mailgun' }) },
    ]);
  });

  it('matches by the address alone when no message is named, and suppresses it', async () => {
    const contact = await createContact(db);
    const [result] = await recordFeedback(
      db,
      [{ channel: 'api', kind: 'hard-bounce', email: (contact.email as string).toUpperCase() }],
      LIMIT,
    );
    expect(result).toMatchObject({
      matched: true,
      effect: 'suppressed',
      contactId: contact.id,
      messageId: null,
    });
    expect(await suppressionsOf(contact.email as string)).toEqual([{ reason: 'hard_bounce' }]);
  });

  it('keeps unmatched and unparsed reports and changes nothing', async () => {
    const { message, email } = await sentMessage();
    const stranger = uniqueEmail();
    const results = await recordFeedback(
      db,
      [
        { channel: 'inbound-smtp', kind: 'hard-bounce', email: stranger, status: '5.1.1' },
        { channel: 'inbound-smtp', kind: 'hard-bounce', messageId: randomUUID() },
        { channel: 'inbound-smtp', kind: 'hard-bounce', messageId: 'not-a-uuid' },
        { channel: 'inbound-smtp', kind: 'unparsed', messageId: message.id, detail: 'garbage' },
      ],
      LIMIT,
    );
    expect(results.map((r) => [r.matched, r.effect])).toEqual([
      [false, 'none'],
      [false, 'none'],
      [false, 'none'],
      [false, 'none'],
    ]);
    expect(await suppressionsOf(stranger)).toEqual([]);
    expect(await suppressionsOf(email)).toEqual([]);
    expect(await eventsOf(message.id)).toEqual([]);
    const kept = await db.feedbackReport.findMany({ where: { id: { in: results.map((r) => r.reportId) } } });
    expect(kept).toHaveLength(4);
    expect(kept.every((row) => row.effect === 'none' && !row.matched)).toBe(true);
  });

  it('applies a provider event delivered twice once, and names the first report', async () => {
    const { id: campaignId } = await campaign();
    const { message } = await sentMessage({ campaignId });
    const event: FeedbackInput = {
      channel: 'sendgrid',
      kind: 'complaint',
      messageId: message.id,
      providerEventId: `sendgrid:${randomUUID()}`,
    };
    const [first] = await recordFeedback(db, [event], LIMIT);
    const [second, third] = await recordFeedback(db, [event, event], LIMIT);
    expect(first?.effect).toBe('suppressed');
    expect(second).toMatchObject({ effect: 'duplicate', reportId: first?.reportId });
    expect(third).toMatchObject({ effect: 'duplicate', reportId: first?.reportId });
    expect(await db.feedbackReport.count({ where: { providerEventId: event.providerEventId } })).toBe(1);
    expect((await eventsOf(message.id)).map((e) => e.type)).toEqual(['complained']);
  });

  it('refuses input it cannot take, before writing anything', async () => {
    await expect(
      recordFeedback(
        db,
        [{ channel: 'carrier-pigeon', kind: 'hard-bounce' } as unknown as FeedbackInput],
        LIMIT,
      ),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('shortens long diagnostics', async () => {
    const { message } = await sentMessage();
    const [result] = await recordFeedback(
      db,
      [{ channel: 'api', kind: 'blocked', messageId: message.id, detail: `5.7.1 ${'x'.repeat(5000)}` }],
      LIMIT,
    );
    const kept = await db.feedbackReport.findUnique({ where: { id: result?.reportId } });
    expect(kept?.detail?.length).toBeLessThanOrEqual(500);
  });
});
