import { parseSigningKeys, type SigningKey } from '@herald/preferences';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_test';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface WebServer {
  url: string;
  /** The keys the server verifies with; sign test tokens with these. */
  keys: SigningKey[];
  env: Record<string, string>;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node apps/web/server.js` (the production server over the built app) on a free port. */
export async function startWebServer(extraEnv: Record<string, string> = {}): Promise<WebServer> {
  if (!existsSync(`${WEB_DIR}build/server/index.js`)) {
    throw new Error(
      'apps/web is not built: run `npm run build --workspace @herald/web` (npm test builds first)',
    );
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const secret = `w1:${randomBytes(32).toString('base64url')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL,
    HERALD_SECRET: secret,
    HERALD_API_KEY: `web-test-${randomBytes(12).toString('hex')}`,
    HERALD_QUEUE_PREFIX: `webtest-${randomBytes(4).toString('hex')}`,
    WEB_PORT: String(port),
    PUBLIC_WEB_URL: url,
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['server.js'], {
    cwd: WEB_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`web server exited early:\n${log}`);
    if (Date.now() > deadline) throw new Error(`web server did not answer:\n${log}`);
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    keys: parseSigningKeys(env.HERALD_SECRET ?? secret),
    env,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
