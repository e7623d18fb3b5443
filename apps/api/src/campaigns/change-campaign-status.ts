import type { ScheduleCampaignInput } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';
import { DomainError, notFound } from '../core/domain-error.js';
import { recordAudit } from '../core/record-audit.js';
import { resolveSendAt } from './resolve-send-at.js';
import { waitForCampaignSends } from './wait-for-campaign-sends.js';

export type CampaignAction = 'pause' | 'resume' | 'cancel';

/**
 * Each action is one conditional UPDATE, so it is atomic against the scheduler (a fan-out page holds
 * the campaign row's lock; the action waits for that page and the fan-out writes nothing after it).
 * The workers see the new state within ~250 ms (their cache of campaign states), and each message
 * reads it again from the database once it has a send slot, just before SMTP; pause and cancel answer
 * once the sends already started are final, so no message of the campaign starts SMTP after them:
 * - pause: nothing more is sent; queued messages stay queued, claimed ones go back to queued. A
 *   person's pause has no `paused_reason` (a guardrail's has one: campaign-guardrails.ts).
 * - resume: back to sending (or to scheduled if the fan-out never started); the queue epoch is
 *   cleared, so the scheduler enqueues the queued messages again within a tick. It clears the
 *   guardrail's reason and the run of refused sends: the person resuming has dealt with the relay.
 *   The rate guardrails stay armed: a new complaint or bounce that finds a rate still over its limit
 *   pauses the campaign again (the console says so before it resumes one a guardrail paused).
 * - cancel: final. Workers finish any message they meet as suppressed ("campaign-cancelled"), the
 *   scheduler does the same for every queued one, so every targeted contact ends with one status.
 */
const TRANSITIONS: Record<CampaignAction, { from: string[]; set: Prisma.Sql }> = {
  pause: {
    from: ['scheduled', 'sending'],
    set: Prisma.sql`status = 'paused', paused_at = now(), paused_reason = NULL`,
  },
  resume: {
    from: ['paused'],
    set: Prisma.sql`status = CASE WHEN fanout_started_at IS NULL THEN 'scheduled'::"CampaignStatus"
                                  ELSE 'sending'::"CampaignStatus" END,
                    paused_at = NULL, paused_reason = NULL, blocked_run = 0, queue_epoch = NULL`,
  },
  cancel: {
    from: ['draft', 'scheduled', 'sending', 'paused'],
    set: Prisma.sql`status = 'cancelled', cancelled_at = now(),
                    completed_at = CASE WHEN fanout_started_at IS NULL THEN now() END`,
  },
};

const DONE: Record<CampaignAction, string> = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' };

/** `actor`: who asked (the audit log names them, in the same transaction as the change). */
export async function changeCampaignStatus(
  db: Db,
  { id, action, actor }: { id: string; action: CampaignAction; actor: string },
) {
  const { from, set } = TRANSITIONS[action];
  const changed = await db.$transaction(async (tx) => {
    const count = await tx.$executeRaw(Prisma.sql`
      UPDATE campaigns SET ${set}, updated_at = now()
       WHERE id = ${id}::uuid AND status::text = ANY(${from}::text[])`);
    if (count > 0)
      await recordAudit(tx, {
        actor,
        action: `campaign.${DONE[action]}`,
        targetType: 'campaign',
        targetId: id,
      });
    return count;
  });
  if (changed === 0) await refuse(db, id, `${action} a campaign`, from);
  if (action !== 'resume') await waitForCampaignSends(db, { campaignId: id });
}

/** A draft gets its send time (or uses the one it has) and becomes scheduled. */
export async function scheduleCampaign(
  db: Db,
  { id, input, actor }: { id: string; input: ScheduleCampaignInput; actor: string },
) {
  const campaign = await db.campaign.findUnique({ where: { id } });
  if (!campaign) throw notFound('campaign', id);
  const timezone = input.timezone ?? campaign.timezone;
  const sendAt = input.sendAt ? resolveSendAt(input.sendAt, timezone) : campaign.sendAt;
  if (!sendAt) throw new DomainError('send_at_required', 'Give the campaign a sendAt to schedule it.');
  const changed = await db.$transaction(async (tx) => {
    const result = await tx.campaign.updateMany({
      where: { id, status: 'draft' },
      data: {
        status: 'scheduled',
        sendAt,
        timezone,
        ...(input.localTime !== undefined && { localTime: input.localTime }),
      },
    });
    if (result.count > 0) {
      await recordAudit(tx, {
        actor,
        action: 'campaign.scheduled',
        targetType: 'campaign',
        targetId: id,
        details: { sendAt: sendAt.toISOString(), timezone, localTime: input.localTime ?? null },
      });
    }
    return result;
  });
  if (changed.count === 0) await refuse(db, id, 'schedule a campaign', ['draft']);
}

async function refuse(db: Db, id: string, what: string, from: string[]): Promise<never> {
  const current = await db.campaign.findUnique({ where: { id }, select: { status: true } });
  if (!current) throw notFound('campaign', id);
  throw new DomainError(
    'invalid_transition',
    `Cannot ${what} that is ${current.status}; it must be ${from.join(' or ')}.`,
    {
      status: current.status,
    },
  );
}
