import type { CreateCampaignInput } from '@herald/contract';
import type { Prisma } from '@herald/db';
import { recordAudit } from '../core/record-audit.js';
import { type PrepareCampaignDeps, prepareCampaign } from './prepare-campaign.js';
import { resolveSendAt } from './resolve-send-at.js';

/**
 * Creates a campaign: scheduled when it has a send time, a draft otherwise. The template version is
 * pinned now, so what was previewed is what is sent. Nothing is fanned out here: the scheduler in the
 * workers does it when the campaign is due. The audit log names `actor`, in the same transaction.
 */
export async function createCampaign(
  deps: PrepareCampaignDeps,
  input: CreateCampaignInput,
  { actor }: { actor: string },
) {
  const { template, stored } = await prepareCampaign(deps, input);
  const sendAt = input.sendAt ? resolveSendAt(input.sendAt, input.timezone) : null;
  return deps.db.$transaction(async (tx) => {
    const campaign = await tx.campaign.create({
      data: {
        name: input.name,
        templateId: template.id,
        categoryKey: template.category.key,
        data: input.data as Prisma.InputJsonValue,
        audience: stored as Prisma.InputJsonValue,
        status: sendAt ? 'scheduled' : 'draft',
        sendAt,
        timezone: input.timezone,
        localTime: input.localTime,
        ratePerSecond: input.ratePerSecond ?? null,
        ...(input.utm && { utm: input.utm as Prisma.InputJsonValue }),
      },
      include: { template: { select: { key: true, version: true } } },
    });
    await recordAudit(tx, {
      actor,
      action: sendAt ? 'campaign.scheduled' : 'campaign.created',
      targetType: 'campaign',
      targetId: campaign.id,
      details: { name: input.name, template: template.key, sendAt: sendAt?.toISOString() ?? null },
    });
    return campaign;
  });
}
