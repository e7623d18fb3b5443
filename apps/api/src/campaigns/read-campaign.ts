import type { Db } from '@herald/db';
import { notFound } from '../core/domain-error.js';

export async function readCampaign(db: Db, id: string) {
  const campaign = await db.campaign.findUnique({
    where: { id },
    include: { template: { select: { key: true, version: true } } },
  });
  if (!campaign) throw notFound('campaign', id);
  return campaign;
}
