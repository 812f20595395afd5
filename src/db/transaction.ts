/**
 * Who owns a transaction. An API that writes either runs inside its caller's transaction (it takes
 * a {@link Transaction}, which only {@link transaction} hands out, and never sends BEGIN, COMMIT or
 * ROLLBACK itself), or owns its transactions (it takes a pool or an idle connection and opens them
 * with {@link transaction}); never both. A single statement is atomic by itself: APIs that send
 * one take any {@link Queryable} and, given a Transaction, join it.
 */
import type pg from 'pg';
import { InvalidArgumentError } from '../errors.ts';

declare const transactionBrand: unique symbol;

export interface TransactionOptions {
  /** Roll back even when the work succeeds: a dry run, which shows what would change. */
  rollback?: boolean | undefined;
  /** `lock_timeout` for the transaction, in ms: a statement waiting longer for a lock fails with 55P03. */
  lockTimeoutMs?: number | undefined;
}

/**
 * A connection inside an open transaction, handed to the callback of {@link transaction}. Work done
 * on it commits or rolls back with the transaction; whoever opened it decides which.
 */
export type Transaction = pg.ClientBase & { readonly [transactionBrand]: true };

/** A pool or a connection: enough for APIs that send a single statement. */
export type Queryable = pg.Pool | pg.ClientBase;

/**
 * Runs `fn` in a transaction: on a connection taken from `db` when it is a pool (and returned to it
 * afterwards), or on `db` itself when it is a connection, which must not be inside a transaction
 * already. Commits when `fn` resolves (unless `options.rollback`), rolls back when it throws (and
 * rethrows), in the style of postgres.js `sql.begin`.
 *
 * @example
 * const moved = await transaction(pool, async (tx) => {
 *   const transfer = await postTransfer(tx, { productId, fromWarehouseId, toWarehouseId, quantity: '4', transferId });
 *   await tx.query('UPDATE app.pick_list SET done = true WHERE id = $1', [pickListId]);
 *   return transfer;
 * });
 */
export async function transaction<T>(
  db: pg.Pool | pg.Client,
  fn: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (!isPool(db)) return inTransaction(db, fn, options);
  const client = await db.connect();
  try {
    return await inTransaction(client, fn, options);
  } finally {
    // A connection still inside a transaction (its ROLLBACK failed) must not go back to the pool.
    client.release(transactionStatus(client) === 'I' ? undefined : new Error('connection left inside a transaction'));
  }
}

async function inTransaction<T>(client: pg.ClientBase, fn: (tx: Transaction) => Promise<T>, options: TransactionOptions): Promise<T> {
  assertOutsideTransaction(client, 'transaction()');
  await client.query('BEGIN');
  if (options.lockTimeoutMs !== undefined) await client.query(`SET LOCAL lock_timeout = '${Math.trunc(options.lockTimeoutMs)}ms'`);
  let result: T;
  try {
    result = await fn(client as Transaction);
  } catch (error) {
    // The work's error is what the caller needs; a failed ROLLBACK shows in the connection's status.
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  await client.query(options.rollback ? 'ROLLBACK' : 'COMMIT');
  return result;
}

/** The connection's transaction status as the server last reported it: idle (I), in a transaction (T), in a failed one (E). */
function transactionStatus(client: pg.ClientBase): string | null {
  return (client as pg.ClientBase & { getTransactionStatus?(): string | null }).getTransactionStatus?.() ?? 'I';
}

/**
 * Refuses a connection that is inside a transaction, for APIs that open their own (the migration
 * runner, the backfill runner): their COMMIT would commit the caller's work early.
 */
export function assertOutsideTransaction(client: pg.ClientBase, api: string): void {
  if (transactionStatus(client) === 'I') return;
  throw new InvalidArgumentError(
    'client',
    'a connection inside a transaction',
    'a connection outside any transaction',
    `${api} opens transactions of its own: give it a pool or a connection outside any transaction (or run the work in the transaction you have)`,
  );
}

function isPool(db: pg.Pool | pg.Client): db is pg.Pool {
  return 'totalCount' in db;
}
