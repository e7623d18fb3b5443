import type { Queue } from 'bull';

export type JobState = 'live' | 'ended' | 'missing';

/**
 * Where the jobs of these ids stand, for the reconcilers: `live` (it exists and can still run:
 * waiting, delayed, active or paused), `ended` (failed or completed, kept by Bull) or `missing`. One
 * pipeline of an EXISTS and two ZSCOREs an id, each O(1) or O(log n): Bull's `Job#getState` scans the
 * whole waiting list for each job, and reading every live job of a queue to find a few costs as much
 * as the queue is long, on every pass, which with tens of thousands of messages waiting behind a
 * campaign kept Redis and the worker's event loop busy enough to hold up sign-in links by seconds.
 */
export async function jobStates(queue: Queue, jobIds: string[]): Promise<Map<string, JobState>> {
  const states = new Map<string, JobState>();
  if (jobIds.length === 0) return states;
  const [failed, completed] = [queue.toKey('failed'), queue.toKey('completed')];
  const pipeline = queue.client.pipeline();
  for (const id of jobIds) pipeline.exists(queue.toKey(id)).zscore(failed, id).zscore(completed, id);
  const replies = (await pipeline.exec()) ?? [];
  jobIds.forEach((id, index) => {
    const [exists, inFailed, inCompleted] = replies
      .slice(3 * index, 3 * index + 3)
      .map((reply) => reply?.[1]);
    const ended = inFailed != null || inCompleted != null;
    states.set(id, exists !== 1 ? 'missing' : ended ? 'ended' : 'live');
  });
  return states;
}
