import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { heraldEnvironment, REPO_ROOT } from '@herald/test-support';
import { describe, expect, it } from 'vitest';

/**
 * Issue 11, finding 6: the hash salt and key have public development values, so a built process
 * started with NODE_ENV=production refuses to start without its own, naming the variable.
 */
const PROCESSES = [
  {
    name: 'API',
    script: 'apps/api/dist/main.js',
    cwd: REPO_ROOT,
    secrets: ['HERALD_IP_SALT', 'HERALD_ADDRESS_HASH_KEY', 'HERALD_EVIDENCE_KEY'],
  },
  {
    name: 'worker',
    script: 'apps/api/dist/worker.js',
    cwd: REPO_ROOT,
    secrets: ['HERALD_IP_SALT', 'HERALD_ADDRESS_HASH_KEY', 'HERALD_EVIDENCE_KEY'],
  },
  { name: 'web app', script: 'server.js', cwd: join(REPO_ROOT, 'apps/web'), secrets: ['HERALD_IP_SALT'] },
];

/** Runs the built script with exactly `env` (plus PATH), and answers its exit code and output. */
function run(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [script], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** The environment a production process of this test gets, without `without`. */
function productionEnv(without: string[], extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    ...heraldEnvironment('secrets'),
    NODE_ENV: 'production',
    API_PORT: '0',
    WEB_PORT: '0',
    ...extra,
  };
  for (const name of without) delete env[name];
  return env;
}

describe('a production process without its own hash secrets', () => {
  for (const { name, script, cwd, secrets } of PROCESSES) {
    for (const secret of secrets) {
      it(`${name}: exits non-zero naming ${secret} when it is unset`, async () => {
        const { code, output } = await run(script, cwd, productionEnv([secret]));
        expect(code, output).not.toBe(0);
        expect(code, output).not.toBeNull();
        expect(output).toContain(`${secret}: is required when NODE_ENV=production`);
        // The only problem named: everything else in the environment is valid.
        expect(output.match(/^\s+- /gm), output).toHaveLength(1);
      });
    }

    it(`${name}: exits non-zero when HERALD_IP_SALT is shorter than 32 characters`, async () => {
      const { code, output } = await run(
        script,
        cwd,
        productionEnv([], { HERALD_IP_SALT: 'sixteen-chars-xx' }),
      );
      expect(code, output).not.toBe(0);
      expect(output).toContain(
        'HERALD_IP_SALT: must be at least 32 characters when NODE_ENV=production (it has 16)',
      );
    });
  }
});
