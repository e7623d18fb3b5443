import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** The target's URL with its port replaced by the proxy's, e.g. a DATABASE_URL through the proxy. */
  urlThrough(url: string): string;
  /** Resets every open connection, both sides, as a network fault or a server restart would. */
  cut(): void;
  /** New connections are reset as soon as they are accepted, like a server that is down. */
  refuse(): void;
  /** New connections are forwarded again. */
  accept(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free loopback port to `targetPort`, for putting a fault between a process and a
 * server it uses (PostgreSQL, Redis) without touching the server: cut the open connections, refuse
 * new ones for a while, forward again.
 */
export async function startTcpProxy({
  targetPort,
  targetHost = '127.0.0.1',
}: {
  targetPort: number;
  targetHost?: string;
}): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let refusing = false;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    // A reset is what this proxy is for; the other side sees it, the proxy must not crash on it.
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: targetHost, port: targetPort });
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  const cut = () => {
    for (const socket of open) socket.resetAndDestroy();
  };
  return {
    port,
    urlThrough(url) {
      const through = new URL(url);
      through.hostname = '127.0.0.1';
      through.port = String(port);
      return through.toString();
    },
    cut,
    refuse() {
      refusing = true;
    },
    accept() {
      refusing = false;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
