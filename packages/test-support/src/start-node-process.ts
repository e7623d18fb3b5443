import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './repo-root.js';

/** How long a process may take to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

export interface NodeProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Whether it has exited (or was killed). */
  exited(): boolean;
  /** SIGTERM (or the given signal), then SIGKILL if it has not exited within a bounded wait. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** SIGKILL, as a machine losing power would, resolved once it is gone. */
  kill(): Promise<void>;
}

/** Starts a built script (`apps/api/dist/worker.js`, …) with Node, as a deployment runs it. */
export function startNodeProcess(
  script: string,
  env: Record<string, string>,
  { cwd = REPO_ROOT, nodeArgs = [] }: { cwd?: string; nodeArgs?: string[] } = {},
): NodeProcess {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const waitForExit = () => new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => log,
    exited,
    async stop(signal = 'SIGTERM') {
      if (exited()) return;
      const gone = waitForExit();
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
      clearTimeout(timer);
      if (!exited()) {
        child.kill('SIGKILL');
        await gone;
      }
    },
    async kill() {
      if (exited()) return;
      const gone = waitForExit();
      child.kill('SIGKILL');
      await gone;
    },
  };
}
