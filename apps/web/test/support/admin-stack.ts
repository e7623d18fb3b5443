import { createPrismaClient, type Db } from '@herald/db';
import {
  startHeraldWithWeb,
  startTestSmtpServer,
  type ApiClient,
  type Herald,
  type TestSmtpServer,
  type WebServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { seedAdmin } from '../../../../prisma/seed-admin.js';

export interface ConsoleStack {
  db: Db;
  /** The API and worker processes, for a test that stops one. */
  herald: Herald;
  web: WebServer;
  api: ApiClient;
  catcher: TestSmtpServer;
  admin: { email: string; password: string };
  stop(): Promise<void>;
}

/**
 * Everything the console needs, as a deployment runs it, on the test file's own database: the
 * built API and a worker sending to a real SMTP server (addresses starting `bounce-` are refused
 * with 550), the built web app, and one seeded admin.
 */
export async function startConsoleStack(extraApiEnv: Record<string, string> = {}): Promise<ConsoleStack> {
  const catcher = await startTestSmtpServer({ unknownPrefixes: ['bounce-'] });
  const { herald, web, stop } = await startHeraldWithWeb({
    env: {
      SMTP_URL: catcher.smtpUrl,
      SCHEDULER_INTERVAL_MS: '200',
      HERALD_POLICY_SWEEP_INTERVAL_MS: '300',
      ...extraApiEnv,
    },
  });
  const db = createPrismaClient({ databaseUrl: herald.env.DATABASE_URL ?? '', maxConnections: 4 });
  const admin = {
    email: `operator-${randomBytes(4).toString('hex')}@example.test`,
    password: randomBytes(12).toString('base64url'),
  };
  await seedAdmin(db, admin);
  return {
    db,
    herald,
    web,
    api: herald.client,
    catcher,
    admin,
    async stop() {
      await stop();
      await catcher.close();
      await db.$disconnect();
    },
  };
}
