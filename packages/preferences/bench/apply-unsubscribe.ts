// Throughput of the one-click hot path: verifyToken + applyUnsubscribe (including the
// database write), with concurrent requests as a web server would issue them.
// Usage: DATABASE_URL=… node --import tsx bench/apply-unsubscribe.ts [requests] [concurrency]
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrismaClient } from '@herald/db';
import { applyUnsubscribe, parseSigningKeys, signToken, verifyToken } from '../src/index.js';

const requests = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 32);
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const db = createPrismaClient({ databaseUrl, maxConnections: 16 });
const keys = parseSigningKeys(`b1:${randomBytes(32).toString('hex')}`);

const categoryKey = `bench-${randomBytes(4).toString('hex')}`;
await db.category.create({
  data: { key: categoryKey, name: 'Bench', description: 'Benchmark category', class: 'promotional' },
});
const contacts = await db.contact.createManyAndReturn({
  data: Array.from({ length: requests }, () => ({ email: `${randomBytes(8).toString('hex')}@bench.test` })),
  select: { id: true },
});
const tokens = contacts.map((contact) =>
  signToken({ contactId: contact.id, scope: { kind: 'category', categoryKey }, tokenEpoch: 0 }, keys),
);

// Warm up the pool and the query plans.
for (const token of tokens.splice(0, 100)) await unsubscribe(token);

let next = 0;
let changed = 0;
const startedAt = performance.now();
const cpuBefore = process.cpuUsage();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < tokens.length) {
      const token = tokens[next++]!;
      if (await unsubscribe(token)) changed++;
    }
  }),
);
const seconds = (performance.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpuBefore);

const result = {
  name: 'apply-unsubscribe',
  requests: tokens.length,
  concurrency,
  changed,
  seconds: Number(seconds.toFixed(3)),
  requestsPerSecond: Math.round(tokens.length / seconds),
  // Node's own CPU per request; the rest of each request's cost is PostgreSQL's.
  nodeCpuMsPerRequest: Number(((cpu.user + cpu.system) / 1000 / tokens.length).toFixed(3)),
};
console.log(JSON.stringify(result));
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'apply-unsubscribe.json'), `${JSON.stringify(result, null, 2)}\n`);
await db.$disconnect();

async function unsubscribe(token: string): Promise<boolean> {
  const verified = verifyToken(token, keys);
  if (!verified.ok) throw new Error(`bench token failed: ${verified.reason}`);
  const { contactId, scope } = verified.payload;
  const { changed } = await applyUnsubscribe(db, {
    contactId,
    scope,
    source: 'one-click',
    userAgent: 'bench',
  });
  return changed.length > 0;
}
