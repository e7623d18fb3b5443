import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';

const REDIS_SERVER = '/usr/bin/redis-server';
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;

export interface RedisServer {
  /** redis://127.0.0.1:PORT, the same across stop() and start(). */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL): clients see connections refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (nothing is saved), as after a flush. */
  start(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open and nothing is answered, as a hung or cut-off server. */
  pause(): void;
  /** Lets a paused server run again, with its data. */
  resume(): void;
  /** What the server wrote, for failure messages. */
  output(): string;
}

/**
 * A private redis-server on a free loopback port, with no persistence, that a test can stop and
 * start again: what Herald's processes see when Redis goes away and comes back empty.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    output: () => log,
    async start() {
      if (running()) return;
      child = spawn(
        REDIS_SERVER,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout?.on('data', (chunk) => (log += chunk));
      child.stderr?.on('data', (chunk) => (log += chunk));
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (!(await accepts(port))) {
        if (!running()) throw new Error(`redis-server exited on port ${port}:\n${log}`);
        if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    pause() {
      if (running()) child?.kill('SIGSTOP');
    },
    resume() {
      if (running()) child?.kill('SIGCONT');
    },
    async stop() {
      const current = child;
      if (current && running()) current.kill('SIGCONT');
      if (!current || !running()) return;
      const gone = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
      clearTimeout(timer);
      if (running()) {
        current.kill('SIGKILL');
        await gone;
      }
    },
  };
  await server.start();
  return server;
}

/** Whether something accepts TCP connections on the port (redis-server listens once it is ready). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
