import { Prisma } from '@herald/db';
import { percentile } from './percentile.js';
import { sizes } from './sizes.js';
import type { Installation } from './start-installation.js';
import type { FaultRow, ScenarioResult } from './types.js';
import { waitUntil } from './wait-until.js';

const FINAL = new Set(['sent', 'suppressed', 'failed', 'bounced']);

/**
 * Waits (bounded) for every message to reach a final state and every campaign to finish, then checks
 * what every scenario promises against what the database recorded and what the SMTP server received.
 */
export async function assessInstallation(
  installation: Installation,
  result: ScenarioResult,
): Promise<Omit<FaultRow, 'name' | 'fault' | 'load' | 'seconds'>> {
  const { db, smtp } = installation;
  const failures = [...(result.failures ?? [])];
  const campaigns = result.campaigns ?? [];
  await waitUntil(
    async () => {
      const open = await db.message.count({ where: { status: { in: ['queued', 'sending'] } } });
      if (open > 0) return false;
      for (const campaign of campaigns) {
        const { body } = await installation.herald.client.call('GET', `/v1/campaigns/${campaign.id}`);
        if (body.status !== 'sent' && body.status !== 'cancelled') return false;
      }
      return true;
    },
    sizes.settleMs,
    1000,
  );

  const messages = await db.message.findMany({ select: { id: true, status: true } });
  const statuses: Record<string, number> = {};
  for (const m of messages) statuses[m.status] = (statuses[m.status] ?? 0) + 1;
  const notFinal = messages.filter((m) => !FINAL.has(m.status)).length;
  const sentNeverReceived = messages.filter((m) => m.status === 'sent' && !smtp.received.has(m.id)).length;
  const statusById = new Map(messages.map((m) => [m.id, m.status]));
  const receivedNotSent = [...smtp.received.keys()].filter((id) => statusById.get(id) !== 'sent');
  let withoutMessage = 0;
  for (const campaign of campaigns) {
    const [row] = await db.$queryRaw<{ n: number }[]>(Prisma.sql`
      SELECT count(DISTINCT contact_id)::int AS n FROM messages WHERE campaign_id = ${campaign.id}::uuid`);
    withoutMessage += Math.max(0, campaign.contacts - (row?.n ?? 0));
  }
  const lost = notFinal + sentNeverReceived + withoutMessage;
  const duplicated = [...smtp.received.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const optOutsViolated = installation.optOuts.reduce(
    (sum, { email, answeredAt }) =>
      sum + (installation.rcptAt.get(email.toLowerCase()) ?? []).filter((at) => at > answeredAt).length,
    0,
  );
  const latencies = (result.latencyIds ?? []).flatMap((id) => {
    const posted = installation.postedAt.get(id);
    const received = installation.receivedAt.get(id);
    return posted !== undefined && received !== undefined ? [received - posted] : [];
  });

  if (notFinal > 0) failures.push(`${notFinal} message(s) still queued or sending`);
  if (sentNeverReceived > 0) failures.push(`${sentNeverReceived} recorded sent, never received`);
  if (withoutMessage > 0) failures.push(`${withoutMessage} campaign contact(s) without a message`);
  if (receivedNotSent.length > 0)
    failures.push(
      `${receivedNotSent.length} received but recorded otherwise (${receivedNotSent
        .slice(0, 3)
        .map((id) => statusById.get(id) ?? 'no row')
        .join(', ')})`,
    );
  const allowedDuplicates = installation.allowedDuplicates();
  if (duplicated > allowedDuplicates)
    failures.push(
      `${duplicated} duplicate(s), more than the ${allowedDuplicates} send slots of stopped workers`,
    );
  if (optOutsViolated > 0) failures.push(`${optOutsViolated} promotional transaction(s) after an opt-out`);
  failures.push(...installation.unexpectedExits());
  const p99 = percentile(latencies, 99);
  return {
    lost,
    duplicated,
    allowedDuplicates,
    optOutsViolated: installation.optOuts.length > 0 ? optOutsViolated : null,
    transactionalP99Ms: p99,
    statuses,
    passed: failures.length === 0,
    failures,
  };
}
