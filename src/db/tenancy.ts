/**
 * One client (tenant) at a time. Every table of a client's data has `client_id`, and row-level
 * security shows and accepts only the rows of the client named by the setting `app.client_id`
 * (docs/design/tenancy.md). Nothing here filters rows: the database does. This module only says,
 * per transaction or per pool, which client the connection works for.
 *
 * - {@link withClient} runs a function in a transaction with the setting applied (`SET LOCAL`,
 *   which also reaches the workers of a Citus cluster), for applications that serve many clients
 *   from one pool.
 * - {@link createClientPool} makes a pool whose every connection works for one client (the
 *   setting given at connection start), for a process that serves one client.
 *
 * With no client set, a query sees no rows and an insert is refused: the setting fails closed.
 */
import pg from 'pg';
import { InvalidArgumentError } from '../errors.ts';
import { createPool } from './connect.ts';
import { type Transaction, type TransactionOptions, transaction } from './transaction.ts';

declare const clientBrand: unique symbol;

/** A client's id: the bigint `core.client.id`, as a string, a number or a bigint. */
export type ClientId = string | number | bigint;

/** A transaction working for one client: what {@link withClient} hands out. */
export type ClientTransaction = Transaction & { readonly [clientBrand]: true };

/** A pool whose connections all work for one client: what {@link createClientPool} makes. */
export type ClientPool = pg.Pool & { readonly [clientBrand]: true };

/** Anything working for one client: a client's transaction, or a client's pool (for single statements). */
export type ClientScoped = ClientTransaction | ClientPool;

/** The setting that names the client (read by every row-level security policy). */
export const CLIENT_SETTING = 'app.client_id';

/**
 * `clientId` as the decimal text of a positive bigint, or an {@link InvalidArgumentError}: it is
 * written into SQL text (`SET LOCAL` takes no parameters), so nothing else may pass.
 */
export function clientIdText(clientId: ClientId): string {
  const text = String(clientId);
  if (!/^[1-9][0-9]{0,18}$/.test(text) || BigInt(text) > 9_223_372_036_854_775_807n) {
    throw new InvalidArgumentError('clientId', clientId, 'the id of a client (a positive whole number)');
  }
  return text;
}

/**
 * Runs `fn` in a transaction working for the client `clientId`: on a connection from `db` (a pool,
 * or a connection outside any transaction), with `app.client_id` set for the transaction only.
 * Commits when `fn` resolves, rolls back when it throws.
 *
 * @example
 * await withClient(pool, clientId, async (tx) => {
 *   await postMovement(tx, { type: 'RECEIPT', productId, warehouseId, quantity: '10', unitCost: '4.20' });
 *   return traceForward(tx, 'TLC-EGG-001');
 * });
 */
export function withClient<T>(
  db: pg.Pool | pg.Client,
  clientId: ClientId,
  fn: (tx: ClientTransaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const id = clientIdText(clientId);
  return transaction(
    db,
    async (tx) => {
      // SET LOCAL rather than set_config(): the same here, and on Citus the only form that reaches the workers.
      await tx.query(`SET LOCAL ${CLIENT_SETTING} = '${id}'`);
      return fn(tx as ClientTransaction);
    },
    options,
  );
}

/**
 * A pool whose every connection works for the client `clientId` (the setting is given at
 * connection start), for a process or a pool that serves one client. Transactions on it need no
 * further setting.
 *
 * @example
 * const pool = createClientPool(process.env.DATABASE_URL!, clientId, { applicationName: 'bakery-a' });
 * const { products } = await searchProducts(pool, 'flour');
 */
export function createClientPool(
  url: string,
  clientId: ClientId,
  options: { applicationName?: string | undefined; max?: number | undefined } = {},
): ClientPool {
  return createPool(url, { ...options, options: `-c ${CLIENT_SETTING}=${clientIdText(clientId)}` }) as ClientPool;
}

/**
 * The id of the active client whose code is `code` (case-insensitive), or undefined when there is
 * none. Any role may ask, working for a client or not (`core.find_client_id`, which row-level
 * security does not hide `core.client` from).
 *
 * @example
 * const id = await clientIdByCode(pool, 'DEMO-BAKERY');
 */
export async function clientIdByCode(db: pg.Pool | pg.ClientBase, code: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string | null }>('SELECT core.find_client_id($1)::text AS id', [code]);
  return rows[0]?.id ?? undefined;
}
