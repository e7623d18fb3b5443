// Prisma CLI configuration (Prisma 7). The database URL lives here, not in schema.prisma.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'prisma/config';

const root = dirname(fileURLToPath(import.meta.url));

// Prisma's native schema engine is a download, and this project's machines reach no
// download host: every CLI command (generate, migrate, even --version) would fail with
// ENOTFOUND. prisma/engine/schema-engine.mjs stands in for it, running the same engine
// compiled to WebAssembly (docs/decisions/002-prisma-offline-schema-engine.md).
// A native binary that the user configured wins.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const standIn = join(root, 'prisma', 'engine', 'schema-engine.mjs');
  if (existsSync(standIn)) process.env.PRISMA_SCHEMA_ENGINE_BINARY = standIn;
}

export default defineConfig({
  schema: join(root, 'prisma', 'schema.prisma'),
  migrations: {
    path: join(root, 'prisma', 'migrations'),
    seed: 'node --import tsx prisma/seed.ts',
  },
  datasource: {
    url: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/herald',
  },
});
