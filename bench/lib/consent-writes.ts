import type { Db } from '@herald/db';
import { applyUnsubscribe } from '@herald/preferences';
import { cpuMs, pidsOf } from './process-cpu.js';
import { round } from './stats.js';

/** CPU time of every PostgreSQL process on this machine, in ms. */
export const postgresCpuMs = (): number => pidsOf(['postgres']).reduce((sum, pid) => sum + cpuMs(pid), 0);

export interface ConsentWritePhase {
  writesPerSecond: number;
  msPerWrite: number;
  postgresCpuMsPerWrite: number;
}

/**
 * `count` consent writes as one-click makes them (applyUnsubscribe), 16 at once, each to a contact
 * of its own in a new promotional category `category`, after 200 to warm up; with PostgreSQL's CPU
 * per write. The outbox and evidence benchmarks compare it with a trigger on and off.
 */
export async function measureConsentWrites(
  db: Db,
  { category, emailPrefix, count }: { category: string; emailPrefix: string; count: number },
): Promise<ConsentWritePhase> {
  await db.category.create({
    data: { key: category, name: 'Bench', description: 'Benchmark category', class: 'promotional' },
  });
  const contacts = await db.contact.createManyAndReturn({
    data: Array.from({ length: count + 200 }, (_, i) => ({ email: `${emailPrefix}-${i}@example.test` })),
    select: { id: true },
  });
  const one = (contactId: string) =>
    applyUnsubscribe(db, {
      contactId,
      scope: { kind: 'category', categoryKey: category },
      source: 'one-click',
    });
  for (const contact of contacts.splice(0, 200)) await one(contact.id);
  const cpuBefore = postgresCpuMs();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < contacts.length) await one((contacts[next++] as { id: string }).id);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    writesPerSecond: round(count / seconds),
    msPerWrite: round((seconds * 1000) / count, 3),
    postgresCpuMsPerWrite: round((postgresCpuMs() - cpuBefore) / count, 3),
  };
}
