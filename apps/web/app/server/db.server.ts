import { createPrismaClient, type Db } from '@herald/db';
import { webEnv } from './env.server';

/**
 * One client per process. The pool is larger than pg's default 10: the one-click route is a
 * single short statement, and mail providers post many of them at once.
 */
export const db: Db = createPrismaClient({ databaseUrl: webEnv.DATABASE_URL, maxConnections: 20 });
