import { Prisma } from '@herald/db';
import { randomBytes } from 'node:crypto';
import { NEWSLETTER_DATA } from './message-bodies.js';
import type { Installation } from './start-installation.js';

/** `contacts` new contacts tagged with a run of their own, and a newsletter campaign to them, due now. */
export async function startCampaign(
  installation: Installation,
  contacts: number,
  ratePerSecond?: number,
): Promise<{ id: string; contacts: number }> {
  const run = `faults-${randomBytes(5).toString('hex')}`;
  const emails = Array.from({ length: contacts }, (_, i) => `${run}-${i}@example.test`);
  await installation.db.$executeRaw(Prisma.sql`
    INSERT INTO contacts (id, email, attributes, updated_at)
    SELECT herald_uuid7(), e, jsonb_build_object('run', ${run}::text), now() FROM unnest(${emails}::text[]) AS e`);
  const created = await installation.herald.client.call('POST', '/v1/campaigns', {
    name: `Faults ${run}`,
    template: 'newsletter',
    data: NEWSLETTER_DATA,
    audience: { attributes: { run } },
    sendAt: new Date().toISOString(),
    ...(ratePerSecond !== undefined && { ratePerSecond }),
  });
  if (created.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(created.body)}`);
  return { id: created.body.id as string, contacts };
}
