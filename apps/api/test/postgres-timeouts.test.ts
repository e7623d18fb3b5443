import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '@herald/db';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A database that stops answering must not hold a worker or a request for the kernel's fifteen
 * minutes: connects and statements fail within their configured bounds, and the caller sees an error.
 */
let blackHole: Server;
let blackHolePort: number;
const held: Socket[] = [];

beforeAll(async () => {
  // Accepts connections and never answers, as a frozen host or a dropped route behind a proxy.
  blackHole = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  blackHolePort = (blackHole.address() as { port: number }).port;
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => blackHole?.close(resolve));
});

describe('PostgreSQL timeouts', () => {
  it('fails a query against a database that accepts and never answers, within the connect timeout', async () => {
    const db = createPrismaClient({
      databaseUrl: `postgresql://postgres@127.0.0.1:${blackHolePort}/herald`,
      connectTimeoutMs: 500,
    });
    try {
      await expect(db.$queryRaw`SELECT 1`).rejects.toThrow();
      expect(held.length).toBeGreaterThan(0);
    } finally {
      await db.$disconnect();
    }
  }, 10_000);

  it('cancels a statement that runs longer than the statement timeout, and the pool keeps working', async () => {
    const db = createPrismaClient({
      databaseUrl: process.env.DATABASE_URL ?? '',
      maxConnections: 1,
      statementTimeoutMs: 300,
    });
    try {
      await expect(db.$queryRaw`SELECT pg_sleep(5)::text`).rejects.toThrow(/statement timeout/);
      expect(await db.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    } finally {
      await db.$disconnect();
    }
  }, 10_000);

  it('fails a query whose connection goes silent after it was opened, instead of waiting for TCP', async () => {
    // Forwards to PostgreSQL until `silent`, then drops every byte the server sends: a route lost mid-query.
    const target = new URL(process.env.DATABASE_URL ?? '');
    const upstream = { port: Number(target.port || 5432), host: target.hostname };
    let silent = false;
    const proxy = createServer((client) => {
      const server = connect(upstream);
      client.on('data', (chunk) => server.write(chunk));
      server.on('data', (chunk) => silent || client.write(chunk));
      const close = () => (client.destroy(), server.destroy());
      client.on('error', close).on('close', close);
      server.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    target.host = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
    const db = createPrismaClient({
      databaseUrl: target.toString(),
      maxConnections: 1,
      statementTimeoutMs: 200,
    });
    try {
      expect(await db.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      silent = true;
      await expect(db.$queryRaw`SELECT 2 AS two`).rejects.toThrow(/timeout/i);
      silent = false;
      expect(await db.$queryRaw`SELECT 3 AS three`).toEqual([{ three: 3 }]);
    } finally {
      await db.$disconnect();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 15_000);
});
