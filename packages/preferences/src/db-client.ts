import type { Db, Tx } from '@herald/db';

/**
 * Every database function accepts the client or a caller's transaction. Prisma 7 gives a
 * transaction client its own `$transaction` (a savepoint), so a function that needs
 * atomicity calls `db.$transaction` either way and joins the caller's transaction.
 */
export type DbClient = Db | Tx;
