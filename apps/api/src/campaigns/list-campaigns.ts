import type { CampaignStatus, Db } from '@herald/db';

/**
 * Campaigns newest first, optionally of one status; a page of `limit` after the id `after`, with
 * `next` the cursor of the following page (null on the last one).
 */
export async function listCampaigns(
  db: Db,
  { status, limit, after }: { status?: CampaignStatus; limit: number; after?: string },
) {
  const campaigns = await db.campaign.findMany({
    where: { ...(status && { status }), ...(after && { id: { lt: after } }) },
    orderBy: { id: 'desc' },
    take: limit,
    include: { template: { select: { key: true, version: true } } },
  });
  const last = campaigns.at(-1);
  return { campaigns, next: campaigns.length === limit && last ? last.id : null };
}
