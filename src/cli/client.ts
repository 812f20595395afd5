import type pg from 'pg';
import { type ClientTransaction, clientIdByCode, withClient } from '../db/tenancy.ts';
import { UsageError } from './errors.ts';

/**
 * Runs `fn` in a transaction working for the client `--client CODE` names. Without the flag, the
 * only client there is (a database of one client needs no flag); with several, a usage error
 * listing their codes. A role under row-level security (the application's) sees no client until it
 * works for one, so it always names one.
 */
export async function withClientFlag<T>(
  client: pg.Client,
  code: string | undefined,
  fn: (tx: ClientTransaction) => Promise<T>,
): Promise<T> {
  return withClient(client, await clientFromFlag(client, code), fn);
}

/**
 * The id of the client `--client CODE` names; without the flag, the only client there is (a usage
 * error listing the codes when there are several).
 */
export async function clientFromFlag(client: pg.Client | pg.Pool, code: string | undefined): Promise<string> {
  if (code !== undefined) {
    const id = await clientIdByCode(client, code);
    if (id === undefined) throw new UsageError(`no active client has the code '${code}'`);
    return id;
  }
  const { rows } = await client.query<{ id: string; code: string }>('SELECT id::text, code FROM core.client ORDER BY code');
  if (rows.length === 1) return rows[0]!.id;
  if (rows.length === 0) {
    // Row-level security hides every client from a role that does not bypass it, until it works for one.
    const { rows: role } = await client.query<{ name: string; sees_all: boolean }>(
      'SELECT rolname AS name, rolsuper OR rolbypassrls AS sees_all FROM pg_roles WHERE rolname = current_user',
    );
    if (role[0]?.sees_all === false) throw new UsageError(`--client CODE is needed: ${role[0].name} cannot list the clients`);
    throw new UsageError('no client exists in this database; `npm run db:setup` seeds two');
  }
  throw new UsageError(`--client CODE is needed: the database has ${rows.length} clients (${rows.map((row) => row.code).join(', ')})`);
}
