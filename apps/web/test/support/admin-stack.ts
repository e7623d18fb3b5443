import { createPrismaClient, type Db } from '@herald/db';
import { startMailCatcher, type MailCatcher } from '@herald/mail-catcher';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { seedAdmin } from '../../../../prisma/seed-admin.js';
import { startHeraldApi, type HeraldApi } from './herald-api.js';
import { DATABASE_URL, freePort, startWebServer, type WebServer } from './web-server.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * A database of the test file's own, created, migrated and seeded as a deployment does it: a
 * campaign or a policy announcement reaches every contact in its database, so counts in the shared
 * test database would include other files' contacts.
 */
export async function createScratchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = new URL(DATABASE_URL);
  const name = `herald_${label}_${randomBytes(4).toString('hex')}`;
  const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  const admin = createPrismaClient({
    databaseUrl: Object.assign(new URL(server), { pathname: '/postgres' }).toString(),
    maxConnections: 1,
  });
  await admin.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
  const run = promisify(execFile);
  const env = { ...process.env, DATABASE_URL: url };
  await run('npx', ['prisma', 'migrate', 'deploy'], { cwd: ROOT, env });
  await run('npx', ['prisma', 'db', 'seed'], { cwd: ROOT, env });
  return {
    url,
    async drop() {
      await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.$disconnect();
    },
  };
}

export interface ApiProcess {
  url: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The built API alone (`apps/api/dist/main.js`), without a worker: for tests on the shared test
 * database, where a worker would pick up other files' queued messages.
 */
export async function startApiOnly(
  env: Record<string, string> & { API_PORT: string; HERALD_API_KEY: string },
) {
  const url = `http://127.0.0.1:${env.API_PORT}`;
  let log = '';
  const child: ChildProcess = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, PUBLIC_API_URL: url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited:\n${log}`);
    if (Date.now() > deadline) throw new Error(`API did not answer:\n${log}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const api: ApiProcess = {
    url,
    async call(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${env.HERALD_API_KEY}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    },
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  return api;
}

export interface ConsoleStack {
  db: Db;
  web: WebServer;
  api: HeraldApi;
  catcher: MailCatcher;
  admin: { email: string; password: string };
  stop(): Promise<void>;
}

/**
 * Everything the console needs, as a deployment runs it, on a scratch database: the built API and
 * a worker sending to a real SMTP server (addresses starting `bounce-` are refused with 550), the
 * built web app, and one seeded admin.
 */
export async function startConsoleStack(
  label: string,
  extraApiEnv: Record<string, string> = {},
): Promise<ConsoleStack> {
  const scratch = await createScratchDatabase(label);
  const db = createPrismaClient({ databaseUrl: scratch.url, maxConnections: 4 });
  const admin = {
    email: `operator-${randomBytes(4).toString('hex')}@example.test`,
    password: randomBytes(12).toString('base64url'),
  };
  await seedAdmin(db, admin);
  const catcher = await startMailCatcher({
    smtpPort: 0,
    httpPort: null,
    rcptHandler: (address) =>
      address.startsWith('bounce-') ? { code: 550, message: '5.1.1 No such user' } : null,
  });
  const apiPort = String(await freePort());
  const shared = {
    DATABASE_URL: scratch.url,
    HERALD_SECRET: `c1:${randomBytes(32).toString('base64url')}`,
    HERALD_API_KEY: `console-${randomBytes(12).toString('hex')}`,
    HERALD_QUEUE_PREFIX: `console-${randomBytes(4).toString('hex')}`,
  };
  const web = await startWebServer({ ...shared, HERALD_API_URL: `http://127.0.0.1:${apiPort}` });
  const api = await startHeraldApi({
    ...web.env,
    ...shared,
    API_PORT: apiPort,
    SMTP_URL: catcher.smtpUrl,
    PUBLIC_WEB_URL: web.url,
    SCHEDULER_INTERVAL_MS: '200',
    HERALD_POLICY_SWEEP_INTERVAL_MS: '300',
    ...extraApiEnv,
  });
  return {
    db,
    web,
    api,
    catcher,
    admin,
    async stop() {
      await Promise.all([api.stop(), web.stop()]);
      await catcher.close();
      await db.$disconnect();
      await scratch.drop();
    },
  };
}
