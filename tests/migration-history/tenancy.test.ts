/**
 * The tenancy migrations (issue 10, docs/design/tenancy.md) on a database that held data before
 * clients existed: the data goes to the client DEFAULT without a rewrite or an update, every key
 * and foreign key takes client_id, the migrations after create_roles run as supply_ledger_owner,
 * and a rollback that would merge two clients' rows is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { deploy } from '../../src/migrate/deploy.ts';
import type { RunnerEvent } from '../../src/migrate/events.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { verify } from '../../src/migrate/verify.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { scratchDatabase } from '../harness/db.ts';
import { migrationsThrough } from '../harness/fixtures.ts';

const CATALOG_BASELINE = '20261121103714_create_catalog_inventory_baseline';
const TRACEABILITY_BASELINE = '20261121112712_create_traceability_baseline';
const BEFORE_TENANCY = '20261121113500_add_trace_functions';
const ADD_CLIENT_ID = '20261201090100_add_client_id';
/** The last migration before the keys change: the indexes are built, the keys are the old ones. */
const BEFORE_SWAP = '20261201094900_add_audit_log_client_id_id_index';
const SWAP = '20261201095000_swap_tenant_keys';
const CREATE_ROLES = '20261201095300_create_roles';
const data = (migration: string) => fs.readFileSync(path.join(import.meta.dirname, 'data', `${migration}.sql`), 'utf8');

/** Each tenant table's data file (relfilenode) and rows (count, and the greatest xmin: an UPDATE makes a new one). */
async function storage(client: pg.Client) {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c
      WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text IN ('audit', 'catalog', 'inventory', 'traceability') ORDER BY 1`,
  );
  const result: Record<string, unknown> = {};
  for (const { name } of tables) {
    const { rows } = await client.query(
      `SELECT (SELECT relfilenode FROM pg_class WHERE oid = $1::regclass) AS file, count(*)::int AS rows,
              coalesce(max(xmin::text::bigint), 0)::text AS newest FROM ${name}`,
      [name],
    );
    result[name] = rows[0];
  }
  return result;
}

/** How many rows of each tenant table belong to each client. */
async function rowsByClient(client: pg.Client) {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'client_id'
      WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text IN ('audit', 'catalog', 'inventory', 'traceability') ORDER BY 1`,
  );
  // The domains that held data before clients existed (later domains start empty, with client_id).
  const clients = new Set<string>();
  for (const { name } of tables) {
    const { rows } = await client.query<{ client_id: string }>(`SELECT DISTINCT client_id::text FROM ${name}`);
    for (const row of rows) clients.add(row.client_id);
  }
  return { tables: tables.length, clients: [...clients].sort() };
}

describe('the tenancy migrations on a database that held data before clients existed', () => {
  let client: pg.Client;
  let before: Awaited<ReturnType<typeof storage>>;
  const events: RunnerEvent[] = [];

  beforeAll(async () => {
    ({ client } = await scratchDatabase());
    await deploy(client, { migrationsDir: migrationsThrough(CATALOG_BASELINE) });
    await client.query(data(CATALOG_BASELINE));
    await deploy(client, { migrationsDir: migrationsThrough(TRACEABILITY_BASELINE) });
    await client.query(data(TRACEABILITY_BASELINE));
    await deploy(client, { migrationsDir: migrationsThrough(BEFORE_TENANCY) });
    before = await storage(client);
  });

  it('gives every existing row to the client DEFAULT without rewriting, updating or logging a row', async () => {
    await deploy(client, { migrationsDir: migrationsThrough(ADD_CLIENT_ID) });
    expect((await client.query('SELECT id::text, code::text FROM core.client')).rows).toEqual([{ id: '1', code: 'DEFAULT' }]);
    // The same data files, the same row versions: the default 1 is read from the catalog.
    expect(await storage(client)).toEqual(before);
    expect(await rowsByClient(client)).toEqual({ tables: 21, clients: ['1'] });
  });

  it('deploys the rest as supply_ledger_owner from create_roles on, writing _prisma_migrations as the session user, and verifies', async () => {
    const { applied } = await deploy(client, { migrationsDir: MIGRATIONS_DIR }, { emit: (event) => events.push(event) });
    const roles = events.flatMap((event) => (event.event === 'migration-start' ? [[event.name, event.role ?? null]] : []));
    const afterRoles = applied.indexOf(CREATE_ROLES) + 1;
    expect(roles.slice(0, afterRoles).every(([, role]) => role === null)).toBe(true);
    expect(roles.slice(afterRoles)).toEqual(applied.slice(afterRoles).map((name) => [name, 'supply_ledger_owner']));
    // The owner has no privilege on the history: its rows were written as the session user.
    const { rows } = await client.query(
      `SELECT has_table_privilege('supply_ledger_owner', '_prisma_migrations', 'INSERT') AS owner_may_write`,
    );
    expect(rows).toEqual([{ owner_may_write: false }]);

    expect((await verify(client, { migrationsDir: MIGRATIONS_DIR })).filter((result) => result.result !== 'passed')).toEqual([]);
    expect(await rowsByClient(client)).toEqual({ tables: 21, clients: ['1'] });
  });

  it('refuses to roll the keys back while two clients have rows, and rolls back with one', async () => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO core.client (code, name) VALUES ('SECOND', 'Second client') RETURNING id`,
    );
    await client.query(`INSERT INTO catalog.warehouse (client_id, code, name) VALUES ($1, 'JHB', 'Johannesburg, the second client''s')`, [
      rows[0]!.id,
    ]);
    const refused = rollback(client, { migrationsDir: MIGRATIONS_DIR }, { to: BEFORE_SWAP });
    await expect(refused).rejects.toMatchObject({
      name: 'MigrationFailedError',
      migration: SWAP,
      file: 'down.sql',
      message: expect.stringContaining('the tenant tables hold rows of more than one client'),
    });

    await client.query(`DELETE FROM catalog.warehouse WHERE client_id = $1`, [rows[0]!.id]);
    await rollback(client, { migrationsDir: MIGRATIONS_DIR }, { to: BEFORE_TENANCY });
    expect(await storage(client)).toEqual(expect.objectContaining({ 'catalog.product': expect.objectContaining({ rows: 12 }) }));
    expect((await client.query(`SELECT to_regclass('core.client') AS client`)).rows).toEqual([{ client: null }]);
    expect((await client.query(`SELECT code::text FROM backup.core_client_20261201090000 ORDER BY id`)).rows).toEqual([
      { code: 'DEFAULT' },
      { code: 'SECOND' },
    ]);
  });
});
