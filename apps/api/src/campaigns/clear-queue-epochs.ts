import type { Db } from '@herald/db';

/**
 * Makes the scheduler enqueue again every queued message of every sending campaign (the next tick
 * claims each campaign whose epoch no longer matches). Used when a worker leaves, dead or stopped:
 * the Bull jobs it was running will not finish, and their unsent messages must get a job. A message
 * that still has a job elsewhere is claimed by one of the two jobs only.
 */
export async function clearQueueEpochs(db: Db): Promise<void> {
  await db.$executeRaw`UPDATE campaigns SET queue_epoch = NULL, updated_at = now() WHERE status = 'sending'`;
}
