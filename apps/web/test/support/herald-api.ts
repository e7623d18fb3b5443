import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface HeraldApi {
  url: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Polls a message until the worker has decided it (sent, suppressed, failed, bounced). */
  settled(messageId: string): Promise<any>;
  output(): string;
  stop(): Promise<void>;
}

/** The built API and one worker (`apps/api/dist/main.js`, `worker.js`), as a deployment runs them. */
export async function startHeraldApi(env: Record<string, string> & { API_PORT: string }): Promise<HeraldApi> {
  const url = `http://127.0.0.1:${env.API_PORT}`;
  let log = '';
  const start = (script: string): ChildProcess => {
    const child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env: { ...process.env, PUBLIC_API_URL: url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => (log += chunk));
    child.stderr?.on('data', (chunk) => (log += chunk));
    return child;
  };
  const children = [start('apps/api/dist/main.js'), start('apps/api/dist/worker.js')];

  const call: HeraldApi['call'] = async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.HERALD_API_KEY}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (children.some((child) => child.exitCode !== null)) throw new Error(`API or worker exited:\n${log}`);
    if (Date.now() > deadline) throw new Error(`API did not answer:\n${log}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    call,
    async settled(messageId) {
      for (let i = 0; i < 300; i++) {
        const { body } = await call('GET', `/v1/messages/${messageId}`);
        if (!['queued', 'sending'].includes(body.status)) return body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`message ${messageId} was never decided:\n${log}`);
    },
    output: () => log,
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }),
      );
    },
  };
}
