import type { Db } from '@herald/db';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, consentLog, createContact, tokenFor } from './support/fixtures.js';
import { startWebServer } from '@herald/test-support';

/** `node apps/web/server.js`: validates its environment before listening, and runs as a cluster. */
const WEB_DIR = fileURLToPath(new URL('../', import.meta.url));
let db: Db;
beforeAll(() => {
  db = connect();
});
afterAll(async () => {
  await db?.$disconnect();
});

function startWith(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(HERALD_|WEB_|PUBLIC_|TOKEN_)/.test(name)),
  );
  const child = spawn(process.execPath, ['server.js'], {
    cwd: WEB_DIR,
    env: { ...clean, ...env } as NodeJS.ProcessEnv,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('the production server', () => {
  it('refuses to start without its required variables, naming each one', async () => {
    const { code, output } = await startWith({ WEB_PORT: '0' });
    expect(code).toBe(1);
    expect(output).toContain('HERALD_SECRET');
    expect(output).toContain('HERALD_API_KEY');
  });

  it('refuses a signing key list it cannot use, naming HERALD_SECRET', async () => {
    const { code, output } = await startWith({
      WEB_PORT: '0',
      HERALD_SECRET: 'k1:too-short',
      HERALD_API_KEY: 'a-long-enough-api-key',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/HERALD_SECRET: signing keys: the secret of key "k1"/);
  });

  it('serves one-click from several processes with WEB_WORKERS', async () => {
    const web = await startWebServer({ WEB_WORKERS: '2' });
    try {
      const contacts = await Promise.all([createContact(db), createContact(db), createContact(db)]);
      const statuses = await Promise.all(
        contacts.map(async (contact) => {
          const response = await fetch(`${web.url}/u/${tokenFor(web, contact.id)}`, {
            method: 'POST',
            body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
          });
          return response.status;
        }),
      );
      expect(statuses).toEqual([200, 200, 200]);
      for (const contact of contacts) expect(await consentLog(db, contact.id)).toHaveLength(1);
    } finally {
      await web.stop();
    }
  });
});
