/**
 * The roles (docs/design/tenancy.md#roles): `supply_ledger_app` changes data and nothing else
 * (42501 for DDL, TRUNCATE, the migration history, the backup schema, the operator's functions);
 * `supply_ledger_backup` reads every client's rows, as `pg_dump` needs. Generated from the catalog
 * where it can be, on a clone of the template seeded with the two demo clients.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { createPool, quoteIdent, urlForRole } from '../../src/db/connect.ts';
import { clientIdByCode, createClientPool, withClient } from '../../src/db/tenancy.ts';
import { transaction } from '../../src/db/transaction.ts';
import { seed } from '../../src/seed/index.ts';
import { APP_ROLE, scratchDatabase, templateName } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';

const BACKUP_ROLE = 'supply_ledger_backup';
const run = promisify(execFile);

let admin: pg.Client;
let url: string;
let clientId = '';
/** Every table pg_dump would dump: the domain schemas, core, backup and the migration history. */
let tables: string[];
const pools: pg.Pool[] = [];

beforeAll(async () => {
  ({ client: admin, url } = await scratchDatabase({ template: templateName() }));
  await seed(admin, () => {});
  // A table in the backup schema, as a down.sql leaves one (the runner runs it as the owner).
  await transaction(admin, async (tx) => {
    await tx.query('SET LOCAL ROLE supply_ledger_owner');
    await tx.query(`SELECT backup.preserve('roles_probe', 'SELECT id, code FROM core.client')`);
  });
  clientId = (await clientIdByCode(admin, 'DEMO-BAKERY'))!;
  const { rows } = await admin.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c
      WHERE c.relkind IN ('r', 'p') AND c.relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      ORDER BY 1`,
  );
  tables = rows.map((row) => row.name);
});

afterAll(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

/** Runs `fn` as the application role working for the demo bakery, in a transaction rolled back afterwards. */
function asApp(fn: (tx: pg.ClientBase) => Promise<void>): Promise<void> {
  const pool = createClientPool(urlForRole(url, APP_ROLE), clientId, { max: 1 });
  pools.push(pool);
  return withClient(pool, clientId, fn, { rollback: true });
}

describe('supply_ledger_app', () => {
  it('may not CREATE, ALTER, DROP or TRUNCATE anything (42501), table by table', async () => {
    expect(tables).toEqual(expect.arrayContaining(['_prisma_migrations', 'catalog.product', 'inventory.stock_movement']));
    await asApp(async (tx) => {
      for (const schema of [
        'public',
        'core',
        'audit',
        'catalog',
        'inventory',
        'traceability',
        'fulfillment',
        'finance',
        'benchmark',
        'replenishment',
        'backup',
      ]) {
        await expectSqlError(tx, () => tx.query(`CREATE TABLE ${quoteIdent(schema)}.role_probe (id int)`), '42501');
        await expectSqlError(
          tx,
          () => tx.query(`CREATE FUNCTION ${quoteIdent(schema)}.role_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'`),
          '42501',
        );
      }
      await expectSqlError(tx, () => tx.query('CREATE SCHEMA role_probe'), '42501');
      await expectSqlError(tx, () => tx.query('CREATE TEMPORARY TABLE role_probe (id int)'), '42501');
      for (const table of tables) {
        await expectSqlError(tx, () => tx.query(`ALTER TABLE ${table} ADD COLUMN role_probe int`), '42501');
        await expectSqlError(tx, () => tx.query(`TRUNCATE ${table}`), '42501');
        await expectSqlError(tx, () => tx.query(`DROP TABLE ${table}`), '42501');
      }
      await expectSqlError(tx, () => tx.query('DROP SCHEMA catalog CASCADE'), '42501');
    });
  });

  it('may not read the migration history or the backup schema, become the owner, or run the operator functions (42501)', async () => {
    const backupTables = tables.filter((table) => table.startsWith('backup.'));
    expect(backupTables.length).toBeGreaterThan(0);
    await asApp(async (tx) => {
      await expectSqlError(tx, () => tx.query('SELECT count(*) FROM _prisma_migrations'), '42501');
      for (const table of backupTables) await expectSqlError(tx, () => tx.query(`SELECT count(*) FROM ${table}`), '42501');
      await expectSqlError(tx, () => tx.query("SELECT backup.preserve('x', 'SELECT 1')"), '42501');
      await expectSqlError(tx, () => tx.query('SET ROLE supply_ledger_owner'), '42501');
      await expectSqlError(tx, () => tx.query('SELECT inventory.refresh_all_inventory_views()'), '42501');
      await expectSqlError(tx, () => tx.query('SELECT * FROM catalog.backfill_product_brands(0, 10)'), '42501');
      await expectSqlError(tx, () => tx.query("INSERT INTO core.client (code, name) VALUES ('ROLE-PROBE', 'probe')"), '42501');
    });
  });

  it('cannot read around row-level security: with row_security off, a policy refuses instead of hiding (42501)', async () => {
    await asApp(async (tx) => {
      await tx.query('SET LOCAL row_security = off');
      await expectSqlError(tx, () => tx.query('SELECT count(*) FROM catalog.product'), '42501');
    });
  });
});

describe('supply_ledger_backup', () => {
  /** Rows per table, as the superuser counts them. */
  async function superuserCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of tables) counts[table] = (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
    return counts;
  }

  it("reads every table whole with row_security off, as pg_dump does: the superuser's row counts", async () => {
    const expected = await superuserCounts();
    expect(expected['catalog.product']).toBeGreaterThan(0);
    const pool = createPool(urlForRole(url, BACKUP_ROLE), { max: 1 });
    pools.push(pool);
    const counts = await transaction(pool, async (tx) => {
      // What pg_dump sets: a table a policy would filter is an error, never a partial dump.
      await tx.query('SET LOCAL row_security = off');
      const seen: Record<string, number> = {};
      for (const table of tables) seen[table] = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
      return seen;
    });
    expect(counts).toEqual(expected);
  });

  it("pg_dump as supply_ledger_backup dumps every client's rows (PostgreSQL client tools needed; a pg_dump older than the server refuses to dump it)", async () => {
    const pgDump = process.env.PG_DUMP ?? 'pg_dump';
    const version = await run(pgDump, ['--version']).catch(() => {
      throw new Error(`${pgDump} not found: install the PostgreSQL client tools, or set PG_DUMP to a pg_dump`);
    });
    const dumpMajor = Number(/(\d+)(?:\.\d+)?/.exec(version.stdout)![1]);
    const serverMajor = Math.floor(
      Number((await admin.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10_000,
    );
    const dump = run(pgDump, ['--data-only', '--dbname', urlForRole(url, BACKUP_ROLE)], { maxBuffer: 256 * 1024 * 1024 });
    if (dumpMajor < serverMajor) {
      // pg_dump refuses a newer server whatever the role; what this test checks needs a pg_dump of the server's version.
      await expect(dump).rejects.toMatchObject({ stderr: expect.stringMatching(/server version mismatch/) });
      return;
    }
    const { stdout } = await dump;
    const dumped: Record<string, number> = {};
    for (const [, table, body] of stdout.matchAll(/^COPY (\S+) \([^)]*\) FROM stdin;\n([\s\S]*?)^\\\.$/gm)) {
      dumped[table!.replaceAll('"', '').replace(/^public\./, '')] = body === '' ? 0 : body!.split('\n').length - 1;
    }
    const expected = await superuserCounts();
    for (const table of Object.keys(expected)) expected[table] ??= 0;
    expect(Object.fromEntries(Object.entries(dumped).filter(([table]) => table in expected))).toEqual(expected);
  });
});
