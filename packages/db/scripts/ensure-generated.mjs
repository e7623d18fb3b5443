// Runs `prisma generate` when the generated client (src/generated, not committed) is missing
// or older than prisma/schema.prisma. No network needed: prisma.config.ts points the CLI at
// the repository's schema-engine stand-in.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const root = join(packageDir, '..', '..');
const schema = join(root, 'prisma', 'schema.prisma');
const client = join(packageDir, 'src', 'generated', 'client.ts');

const force = process.argv.includes('--force');
const stale = !existsSync(client) || statSync(client).mtimeMs < statSync(schema).mtimeMs;
if (!force && !stale) process.exit(0);

const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate', '--config', join(root, 'prisma.config.ts')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
