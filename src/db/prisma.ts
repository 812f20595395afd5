import { PrismaPg } from '@prisma/adapter-pg';
import type { Types } from '@prisma/client/runtime/client';
import { type Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { CLIENT_SETTING, type ClientId, clientIdText } from './tenancy.ts';

/**
 * A Prisma client on `url`, through the node-postgres driver adapter (Prisma 7 has no built-in driver).
 *
 * @example
 * const prisma = createPrismaClient(process.env.DATABASE_URL!);
 * const clients = await prisma.client.findMany({ orderBy: { code: 'asc' } }); // as a role that sees them
 */
export function createPrismaClient(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

/** What an operation's `__internalParams` say of the transaction it runs in (Prisma's internals, pinned by tests). */
interface OperationTransaction {
  kind: 'itx' | 'batch';
}

/** The options of a `$transaction`, as Prisma's. */
interface TransactionOptions {
  maxWait?: number;
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/** Prisma's two forms of `$transaction`, each run with the client set (a batch's results come back without the setting's). */
interface ScopedTransaction {
  <P extends Prisma.PrismaPromise<unknown>[]>(batch: [...P], options?: TransactionOptions): Promise<Types.Utils.UnwrapTuple<P>>;
  <R>(work: (tx: Prisma.TransactionClient) => Promise<R>, options?: TransactionOptions): Promise<R>;
}

/**
 * `prisma` working for one client (a Prisma client extension): every query, and every transaction
 * opened with its `$transaction`, runs with `app.client_id` set, so that row-level security shows
 * and accepts that client's rows only.
 *
 * - A query outside a transaction runs in a transaction of its own that sets the client first.
 * - `$transaction(async (tx) => ...)` (interactive) sets the client first; the queries on `tx` run
 *   in it, and roll back with it.
 * - `$transaction([a, b])` (a batch) sets the client first, then runs the batch, atomically.
 *
 * Limits (tests/api/prisma-client.test.ts holds them): queries made on the scoped client inside
 * the callback of an interactive transaction, instead of on its `tx`, run outside that transaction
 * (as with any Prisma client); the setting is `SET LOCAL`, so it reaches a Citus cluster's workers
 * only with `citus.propagate_set_commands = 'local'`. Prisma's own row-level security example sets
 * the client around each query only, so an outer `$transaction` of its client does not roll back
 * what ran inside; this one's does.
 *
 * @example
 * const bakery = forClient(prisma, clientId);
 * await bakery.$transaction(async (tx) => {
 *   const brand = await tx.brand.create({ data: { name: 'Golden Mill' } });
 *   await tx.product.update({ where: { clientId_id: { clientId: BigInt(clientId), id: productId } }, data: { brandId: brand.id } });
 * });
 */
export function forClient(prisma: PrismaClient, clientId: ClientId) {
  const setClient = `SET LOCAL ${CLIENT_SETTING} = '${clientIdText(clientId)}'`;
  const scopedTransaction = ((
    work: ((tx: Prisma.TransactionClient) => Promise<unknown>) | Prisma.PrismaPromise<unknown>[],
    options?: TransactionOptions,
  ) => {
    if (typeof work === 'function') {
      return prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(setClient);
        return work(tx);
      }, options);
    }
    return prisma.$transaction([prisma.$executeRawUnsafe(setClient), ...work], options).then(([, ...results]) => results);
  }) as ScopedTransaction;
  return prisma.$extends({
    name: 'supply-ledger-client',
    query: {
      async $allOperations(operation) {
        const { args, query } = operation;
        // Not in Prisma's types, but what its runtime hands every operation (`__internalParams`).
        const internal = (operation as { __internalParams?: { transaction?: OperationTransaction } }).__internalParams;
        const inTransaction = internal?.transaction !== undefined;
        // In one of this client's transactions, the client is set already.
        if (inTransaction) return query(args);
        const [, result] = await prisma.$transaction([prisma.$executeRawUnsafe(setClient), query(args)]);
        return result;
      },
    },
    client: { $transaction: scopedTransaction },
  });
}

/** `prisma` working for one client (see {@link forClient}). */
export type ClientPrismaClient = ReturnType<typeof forClient>;

export type { PrismaClient };
