import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { notFound } from '../core/domain-error.js';
import { uuid7 } from '../core/uuid7.js';
import { sendMessageJob } from '../delivery/delivery-queue.js';

/**
 * Sends the campaign's email (pinned template version, campaign data) to one address, as a single
 * message outside the campaign: it is not counted in the campaign's figures, and the worker still
 * decides at send time (an address that opted out of the category gets nothing, with the reason).
 * A test send creates no marketing consent: a contact it creates has promotional_defaults false, so a
 * colleague given a test send is in no campaign's audience; the worker knows the message for a test
 * send by its queued event (testOfCampaign) and sends it without that consent.
 */
export async function testSendCampaign(
  deps: { db: Db; queue: Queue },
  { id, email }: { id: string; email: string },
): Promise<{ id: string; status: 'queued' }> {
  const campaign = await deps.db.campaign.findUnique({
    where: { id },
    include: { template: { include: { category: true } } },
  });
  if (!campaign) throw notFound('campaign', id);
  const contact = await deps.db.contact.upsert({
    where: { email },
    create: { email, promotionalDefaults: false },
    update: {},
    select: { id: true },
  });
  const messageId = uuid7();
  await deps.db.$executeRaw(Prisma.sql`
    WITH message AS (
      INSERT INTO messages (id, contact_id, template_id, category_key, class, data, updated_at)
      VALUES (${messageId}::uuid, ${contact.id}::uuid, ${campaign.templateId}::uuid, ${campaign.categoryKey},
              ${campaign.template.category.class}::"MessageClass", ${JSON.stringify(campaign.data)}::jsonb, now())
      RETURNING id)
    INSERT INTO message_events (message_id, type, detail)
    SELECT id, 'queued', ${JSON.stringify({ testOfCampaign: campaign.id })}::jsonb FROM message`);
  const job = sendMessageJob(messageId);
  // If Redis is away the worker's reconciler enqueues the stored message later.
  await deps.queue.add(job.name, job.data, job.opts).catch(() => undefined);
  return { id: messageId, status: 'queued' };
}
