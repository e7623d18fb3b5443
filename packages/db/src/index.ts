import type { PrismaClient, Prisma } from './generated/client.js';

// The generated client's public API: PrismaClient, the Prisma namespace (errors, input
// types, TransactionClient…), the enums (as values and types) and one type per model.
export * from './generated/client.js';

/** The application's database handle. */
export type Db = PrismaClient;

/** What a `db.$transaction(async (tx) => …)` callback receives. */
export type Tx = Prisma.TransactionClient;

export { createPrismaClient, NAMED_STATEMENT_MARK } from './create-prisma-client.js';
export { isConnectionLost } from './is-connection-lost.js';
