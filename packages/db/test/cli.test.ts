import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { prisma, schemaPath, scratchDatabase, standInPath } from './helpers.js';

const run = promisify(execFile);

/** The schema engine commit this prisma version expects. */
const expectedEngineHash: string = createRequire(import.meta.url)('@prisma/engines-version/package.json')
  .prisma.enginesVersion;

/**
 * Any download attempt fails fast against a closed local port, so an attempt shows up in
 * the output even on a machine that does have a network.
 */
const offline = {
  PRISMA_SCHEMA_ENGINE_BINARY: undefined, // let prisma.config.ts choose the stand-in
  PRISMA_ENGINES_MIRROR: 'http://127.0.0.1:9',
  PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: undefined,
};
const networkError = /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|getaddrinfo|download/i;

describe('the schema-engine stand-in', () => {
  it('answers --version with the engine commit the CLI expects', async () => {
    const { stdout } = await run(process.execPath, [standInPath, '--version']);
    expect(stdout.trim()).toBe(`schema-engine-cli ${expectedEngineHash}`);
  });

  it('is the schema engine `prisma --version` reports, and nothing is downloaded', async () => {
    const result = await prisma(['--version'], offline);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `Schema Engine\\s*: schema-engine-cli ${expectedEngineHash} \\(at prisma/engine/schema-engine\\.mjs, resolved by PRISMA_SCHEMA_ENGINE_BINARY\\)`,
      ),
    );
    expect(result.output).not.toMatch(networkError);
  });

  it('lets `prisma generate` run without a network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-generate-'));
    try {
      const schema = readFileSync(schemaPath, 'utf8').replace(
        /output\s*=\s*"[^"]*"/,
        'output = "./generated"',
      );
      writeFileSync(join(dir, 'schema.prisma'), schema);
      const result = await prisma(['generate', '--schema', join(dir, 'schema.prisma')], offline);
      expect(result.code, result.output).toBe(0);
      expect(result.output).not.toMatch(networkError);
      expect(existsSync(join(dir, 'generated', 'client.ts'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates, checks and drops databases with the one-shot cli commands', async () => {
    const db = await scratchDatabase({ create: false });
    const cli = (command: string) =>
      run(process.execPath, [
        standInPath,
        '--datasource',
        JSON.stringify({ url: db.url }),
        'cli',
        command,
      ]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    try {
      const missing = await cli('can-connect-to-database');
      expect(missing.code).toBe(1);
      const lines = missing.stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 'ERROR', fields: expect.objectContaining({ error_code: 'P1003' }) }),
      );

      expect((await cli('create-database')).code).toBe(0);
      expect((await cli('can-connect-to-database')).code).toBe(0);
      expect((await cli('drop-database')).code).toBe(0);
      expect((await cli('can-connect-to-database')).code).toBe(1);
    } finally {
      await db.drop();
    }
  });
});
