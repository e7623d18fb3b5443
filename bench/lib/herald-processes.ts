import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface HeraldProcesses {
  apiUrl: string;
  apiKey: string;
  env: Record<string, string>;
  children: ChildProcess[];
  /** Stops every worker process (SIGTERM) and waits for them to exit. */
  stopWorkers(): Promise<void>;
  /** Starts one more worker process (e.g. after messages were queued with none running). */
  startWorker(extraArgs?: string[]): ChildProcess;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers
  stop(): Promise<void>;
}

/** The built API and worker processes, as a deployment runs them, pointed at the given SMTP server. */
export async function startHerald({
  smtpUrl,
  databaseUrl,
  workers = 1,
  extraEnv = {},
}: {
  smtpUrl: string;
  databaseUrl: string;
  workers?: number;
  extraEnv?: Record<string, string>;
}): Promise<HeraldProcesses> {
  const port = await freePort();
  const apiKey = `bench-${randomBytes(16).toString('hex')}`;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    HERALD_QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    HERALD_API_KEY: apiKey,
    HERALD_SECRET: `b1:${randomBytes(32).toString('base64url')}`,
    SMTP_URL: smtpUrl,
    API_PORT: String(port),
    NODE_ENV: 'production',
    ...extraEnv,
  };
  const children: ChildProcess[] = [];
  const workerChildren: ChildProcess[] = [];
  const start = (script: string, nodeArgs: string[] = []) => {
    const child = spawn(process.execPath, [...nodeArgs, script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  start('apps/api/dist/main.js');
  for (let i = 0; i < workers; i++) workerChildren.push(start('apps/api/dist/worker.js'));
  const apiUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${apiUrl}/health`)).ok) break;
    } catch {
      // starting
    }
    if (i > 200) throw new Error('API did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    apiUrl,
    apiKey,
    env,
    children,
    startWorker: (nodeArgs = []) => {
      const child = start('apps/api/dist/worker.js', nodeArgs);
      workerChildren.push(child);
      return child;
    },
    async stopWorkers() {
      await Promise.all(workerChildren.splice(0).map(stopChild));
    },
    async call(method, path, body) {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    },
    async stop() {
      await Promise.all(children.map(stopChild));
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
