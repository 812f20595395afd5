/**
 * The isolation matrix (docs/design/tenancy.md): for every tenant table the catalog lists (so that
 * a new table without row-level security fails here), as `supply_ledger_app` working for one demo
 * client, none of the other client's rows can be seen, written or reached by a key; without a
 * client nothing can be seen or written; `supply_ledger_readonly` writes nothing. On a clone of the
 * template seeded with the two demo clients (`db:setup`'s data), which gives every tenant table rows
 * of both, so that no check passes for want of rows.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPool, quoteIdent, urlForRole } from '../../src/db/connect.ts';
import { clientIdByCode, createClientPool, withClient } from '../../src/db/tenancy.ts';
import { transaction } from '../../src/db/transaction.ts';
import { postTransfer } from '../../src/inventory/ledger.ts';
import { seed } from '../../src/seed/index.ts';
import { DEMO_CLIENTS } from '../../src/seed/step.ts';
import { APP_ROLE, scratchDatabase, templateName } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';

const READONLY_ROLE = 'supply_ledger_readonly';

/** A table holding clients' rows, and the column naming the client (`id` for core.client itself). */
interface TenantTable {
  name: string;
  key: 'client_id' | 'id';
  /** The columns an INSERT may name (not generated). */
  columns: string[];
  appMayUpdate: boolean;
  appMayDelete: boolean;
  /** False for a table the role may not read at all (raw benchmark metrics): every access is refused (42501). */
  appMayRead: boolean;
  readonlyMayRead: boolean;
  /**
   * Whether a guard (a BEFORE row trigger other than the one setting updated_at) judges a new or
   * changed row before the policy's WITH CHECK does, PostgreSQL's order: it may refuse the row
   * first, for its own reasons.
   */
  guardedOnInsert: boolean;
  guardedOnUpdate: boolean;
}

/** A foreign key from one tenant table to another, by its columns other than client_id. */
interface TenantForeignKey {
  name: string;
  child: string;
  parent: string;
  childColumns: string[];
  parentColumns: string[];
}

let admin: pg.Client;
let url: string;
let mine = '';
let theirs = '';
let tables: TenantTable[];
const pools: pg.Pool[] = [];

/** A pool of `role` on the scratch database; working for `clientId` when given. */
function rolePool(role: string, clientId?: string): pg.Pool {
  const pool =
    clientId === undefined ? createPool(urlForRole(url, role), { max: 2 }) : createClientPool(urlForRole(url, role), clientId, { max: 2 });
  pools.push(pool);
  return pool;
}

async function count(db: pg.ClientBase | pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return rows[0]!.n;
}

/** One row of `client` in `table`, as JSON (read as the superuser). */
async function rowOf(table: TenantTable, client: string): Promise<Record<string, unknown>> {
  const { rows } = await admin.query<{ row: Record<string, unknown> }>(
    `SELECT row_to_json(t) AS row FROM ${table.name} t WHERE ${table.key} = $1 ORDER BY ctid LIMIT 1`,
    [client],
  );
  return rows[0]!.row;
}

/** An INSERT of `row` (JSON) into `table`, naming `columns` only. */
function insertRow(db: pg.ClientBase, table: TenantTable, row: Record<string, unknown>, columns = table.columns) {
  const list = columns.map(quoteIdent).join(', ');
  return db.query(`INSERT INTO ${table.name} (${list}) SELECT ${list} FROM json_populate_record(NULL::${table.name}, $1::json)`, [
    JSON.stringify(row),
  ]);
}

/** Runs each table's check in a transaction of `pool`'s that is rolled back, collecting what went wrong, one line per table. */
async function eachTable(pool: pg.Pool, check: (tx: pg.PoolClient, table: TenantTable) => Promise<string | undefined>): Promise<string[]> {
  const problems: string[] = [];
  for (const table of tables) {
    const problem = await transaction(pool, (tx) => check(tx as unknown as pg.PoolClient, table), { rollback: true }).catch(
      (error: Error & { code?: string }) => `threw ${error.code ?? ''} ${error.message}`,
    );
    if (problem !== undefined) problems.push(`${table.name}: ${problem}`);
  }
  return problems;
}

/** What `attempt` failed with (its SQLSTATE), under a savepoint so that the transaction goes on; undefined when it succeeded. */
async function refusal(tx: pg.ClientBase, attempt: () => Promise<unknown>): Promise<string | undefined> {
  await tx.query('SAVEPOINT attempt');
  try {
    await attempt();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? 'no SQLSTATE';
  } finally {
    await tx.query('ROLLBACK TO SAVEPOINT attempt');
  }
}

/** For a table `role` may not read: reading and every write are refused (42501), or what was not. */
async function allRefused(tx: pg.ClientBase, table: TenantTable): Promise<string | undefined> {
  const codes = [
    await refusal(tx, () => tx.query(`SELECT count(*) FROM ${table.name}`)),
    await refusal(tx, async () => insertRow(tx, table, await rowOf(table, mine))),
    await refusal(tx, () => tx.query(`UPDATE ${table.name} SET ${table.key} = ${table.key}`)),
    await refusal(tx, () => tx.query(`DELETE FROM ${table.name}`)),
  ];
  return codes.every((code) => code === '42501') ? undefined : `no SELECT privilege, yet read/insert/update/delete gave ${codes.join('/')}`;
}

/** The rows `sql` touched, or the SQLSTATE it failed with (under a savepoint, so that the transaction goes on). */
async function outcome(tx: pg.ClientBase, sql: string, params: unknown[]): Promise<number | string> {
  let touched: number | null = null;
  const code = await refusal(tx, async () => {
    touched = (await tx.query(sql, params)).rowCount;
  });
  return code ?? touched ?? 0;
}

beforeAll(async () => {
  ({ client: admin, url } = await scratchDatabase({ template: templateName() }));
  await seed(admin, () => {});
  [mine, theirs] = (await Promise.all(DEMO_CLIENTS.map((demo) => clientIdByCode(admin, demo.code)))) as [string, string];
  const { rows } = await admin.query<TenantTable>(
    `SELECT c.oid::regclass::text AS name,
            CASE WHEN c.oid = 'core.client'::regclass THEN 'id' ELSE 'client_id' END AS key,
            array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '') AS columns,
            has_table_privilege($1, c.oid, 'UPDATE') AS "appMayUpdate",
            has_table_privilege($1, c.oid, 'DELETE') AS "appMayDelete",
            has_table_privilege($1, c.oid, 'SELECT') AS "appMayRead",
            has_table_privilege('supply_ledger_readonly', c.oid, 'SELECT') AS "readonlyMayRead",
            EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgtype & 7 = 7
                       AND t.tgfoid <> 'audit.tg__set_updated_at'::regproc) AS "guardedOnInsert",
            EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgtype & 19 = 19
                       AND t.tgfoid <> 'audit.tg__set_updated_at'::regproc) AS "guardedOnUpdate"
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relnamespace::regnamespace::text NOT IN ('backup', 'pg_catalog', 'information_schema')
        AND (c.oid = 'core.client'::regclass
             OR EXISTS (SELECT 1 FROM pg_attribute k WHERE k.attrelid = c.oid AND k.attname = 'client_id' AND NOT k.attisdropped))
      GROUP BY c.oid ORDER BY 1`,
    [APP_ROLE],
  );
  tables = rows;
});

afterAll(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

describe('the isolation matrix, generated from the catalog', () => {
  it('covers every table of the domain schemas, each holding rows of both demo clients', async () => {
    const { rows } = await admin.query<{ name: string }>(
      `SELECT c.oid::regclass::text AS name FROM pg_class c
        WHERE c.relkind IN ('r', 'p') AND c.relnamespace::regnamespace::text NOT IN ('public', 'backup', 'ops', 'information_schema') AND c.relnamespace::regnamespace::text NOT LIKE 'pg\\_%'
          AND NOT coalesce(obj_description(c.oid, 'pg_class') ~* '\\mshared\\M', false)
        ORDER BY 1`,
    );
    // Every table of the domains but the shared reference tables (carriers, status vocabulary) is a tenant table: all of them are in the matrix.
    expect(tables.map((table) => table.name)).toEqual(rows.map((row) => row.name));
    expect(tables.length).toBeGreaterThanOrEqual(22);
    const empty: string[] = [];
    for (const table of tables) {
      for (const client of [mine, theirs]) {
        if ((await count(admin, `${table.name} WHERE ${table.key} = $1`, [client])) === 0) empty.push(`${table.name} (client ${client})`);
      }
    }
    expect(empty).toEqual([]);
  });

  it("shows a client all of its own rows and none of the other's", async () => {
    const problems = await eachTable(rolePool(APP_ROLE, mine), async (tx, table) => {
      if (!table.appMayRead) return allRefused(tx, table);
      const own = await count(admin, `${table.name} WHERE ${table.key} = $1`, [mine]);
      const visible = await count(tx, table.name);
      const foreign = await count(tx, `${table.name} WHERE ${table.key} <> $1`, [mine]);
      return visible === own && foreign === 0 ? undefined : `sees ${visible} rows (${own} its own), ${foreign} of other clients`;
    });
    expect(problems).toEqual([]);
  });

  it("refuses (42501) inserting a row with the other client's key, and moving a row to it", async () => {
    const problems = await eachTable(rolePool(APP_ROLE, mine), async (tx, table) => {
      const row = { ...(await rowOf(table, mine)), [table.key]: theirs };
      const inserted = await refusal(tx, () => insertRow(tx, table, row));
      const moved = await refusal(tx, () =>
        tx.query(`UPDATE ${table.name} SET ${table.key} = $1 WHERE ctid = (SELECT ctid FROM ${table.name} LIMIT 1)`, [theirs]),
      );
      // A guard that fires before the policy may refuse the row first: refused all the same.
      const insertRefused = inserted === '42501' || (table.guardedOnInsert && inserted !== undefined);
      const moveRefused = moved === '42501' || (table.guardedOnUpdate && moved !== undefined);
      return insertRefused && moveRefused ? undefined : `insert as the other client: ${inserted}, move to it: ${moved}`;
    });
    expect(problems).toEqual([]);
  });

  it("touches none of the other client's rows with UPDATE or DELETE (or is refused them outright)", async () => {
    const problems = await eachTable(rolePool(APP_ROLE, mine), async (tx, table) => {
      const where = `WHERE ${table.key} = $1`;
      const updated = await outcome(tx, `UPDATE ${table.name} SET ${table.key} = ${table.key} ${where}`, [theirs]);
      const deleted = await outcome(tx, `DELETE FROM ${table.name} ${where}`, [theirs]);
      // Without the privilege (the append-only ledger and audit log) the statement is refused; with it, it finds nothing.
      const expected = [table.appMayUpdate ? 0 : '42501', table.appMayDelete ? 0 : '42501'];
      return updated === expected[0] && deleted === expected[1] ? undefined : `UPDATE gave ${updated}, DELETE gave ${deleted}`;
    });
    expect(problems).toEqual([]);
    // The other client's rows are all still there.
    for (const table of tables) expect(await count(admin, `${table.name} WHERE ${table.key} = $1`, [theirs])).toBeGreaterThan(0);
  });

  it('shows nothing and accepts no insert without a client', async () => {
    const problems = await eachTable(rolePool(APP_ROLE), async (tx, table) => {
      if (!table.appMayRead) return allRefused(tx, table);
      const visible = await count(tx, table.name);
      // The row as an application would insert it: client_id from the setting, which is not there.
      const columns = table.columns.filter((column) => column !== 'client_id');
      const inserted = await refusal(tx, async () => insertRow(tx, table, await rowOf(table, mine), columns));
      // A guard trigger that fires first may refuse the copied row for its own reasons; either way nothing is written.
      const refused = inserted === '42501' || (table.guardedOnInsert && inserted !== undefined);
      return visible === 0 && refused ? undefined : `sees ${visible} rows, insert gave ${inserted ?? 'success'}`;
    });
    expect(problems).toEqual([]);
  });

  it('lets supply_ledger_readonly read its client rows and write nothing', async () => {
    const problems = await eachTable(rolePool(READONLY_ROLE, mine), async (tx, table) => {
      if (!table.readonlyMayRead) return allRefused(tx, table);
      const own = await count(admin, `${table.name} WHERE ${table.key} = $1`, [mine]);
      const visible = await count(tx, table.name);
      const inserted = await refusal(tx, async () => insertRow(tx, table, await rowOf(table, mine)));
      const updated = await refusal(tx, () => tx.query(`UPDATE ${table.name} SET ${table.key} = ${table.key}`));
      const deleted = await refusal(tx, () => tx.query(`DELETE FROM ${table.name}`));
      const writes = [inserted, updated, deleted];
      return visible === own && writes.every((code) => code === '42501')
        ? undefined
        : `sees ${visible} of ${own}, writes gave ${writes.join('/')}`;
    });
    expect(problems).toEqual([]);
  });
});

describe('keys between tenant tables', () => {
  it("refuse a reference to the other client's row, by name, for every foreign key", async () => {
    const { rows: keys } = await admin.query<TenantForeignKey>(
      `SELECT k.conname AS name, k.conrelid::regclass::text AS child, k.confrelid::regclass::text AS parent,
              array_agg(ca.attname::text ORDER BY n.i) FILTER (WHERE ca.attname <> 'client_id') AS "childColumns",
              array_agg(pa.attname::text ORDER BY n.i) FILTER (WHERE ca.attname <> 'client_id') AS "parentColumns"
         FROM pg_constraint k
         CROSS JOIN LATERAL unnest(k.conkey, k.confkey) WITH ORDINALITY AS n(child_attnum, parent_attnum, i)
         JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = n.child_attnum
         JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = n.parent_attnum
        WHERE k.contype = 'f' AND k.confrelid <> 'core.client'::regclass
          AND k.conrelid::regclass::text = ANY ($1) AND k.confrelid::regclass::text = ANY ($1)
        GROUP BY k.oid ORDER BY 1`,
      [tables.map((table) => table.name)],
    );
    // The references the issue names, among the rest.
    expect(keys.map((key) => key.name)).toEqual(
      expect.arrayContaining([
        'batch_ingredient_ingredient_lot_id_fkey',
        'stock_movement_warehouse_id_fkey',
        'stock_count_line_product_id_fkey',
      ]),
    );
    expect(keys.length).toBeGreaterThanOrEqual(30);
    // The application role, where it may update the table and no guard trigger judges the row first.
    const appUpdates = new Set(tables.filter((table) => table.appMayUpdate && !table.guardedOnUpdate).map((table) => table.name));
    const asApp = rolePool(APP_ROLE, mine);
    const missing: string[] = [];
    for (const key of keys) {
      const { rows: parents } = await admin.query<{ values: unknown[] }>(
        `SELECT ARRAY[${key.parentColumns.map(quoteIdent).join(', ')}]::text[] AS values FROM ${key.parent} WHERE client_id = $1 LIMIT 1`,
        [theirs],
      );
      // A row of ours that uses the key already (so that the table's other rules hold after the change).
      const { rows: children } = await admin.query<{ ctid: string }>(
        `SELECT ctid::text FROM ${key.child} WHERE client_id = $1 AND ${key.childColumns.map((column) => `${quoteIdent(column)} IS NOT NULL`).join(' AND ')} LIMIT 1`,
        [mine],
      );
      if (children.length === 0) {
        missing.push(key.name);
        continue;
      }
      const assignments = key.childColumns.map((column, i) => `${quoteIdent(column)} = $${i + 1}`).join(', ');
      const pointAtTheirs = (tx: pg.ClientBase) =>
        tx.query(
          `UPDATE ${key.child} SET ${assignments} WHERE client_id = ${mine} AND ctid = '${children[0]!.ctid}'::tid`,
          parents[0]!.values,
        );
      if (appUpdates.has(key.child)) {
        await withClient(asApp, mine, (tx) => expectSqlError(tx, () => pointAtTheirs(tx), '23503', key.name), { rollback: true });
      } else {
        // The append-only ledger and audit log, posted counts, consumed lots and batches, levels' ledger
        // columns: the application role may not update them, or a guard trigger refuses before a key
        // could. As the superuser with the table's own triggers off (a key's triggers are the
        // system's, and stay), the key is what refuses.
        await transaction(
          admin,
          async (tx) => {
            await tx.query(`ALTER TABLE ${key.child} DISABLE TRIGGER USER`);
            await expectSqlError(tx, () => pointAtTheirs(tx), '23503', key.name);
          },
          { rollback: true },
        );
      }
    }
    // Every key was exercised: the demo data uses each reference at least once.
    expect(missing).toEqual([]);
  });
});

describe('the references the issue names, made as an application would make them', () => {
  /** The id of the other client's row of `table` whose `column` is `value` (read as the superuser). */
  async function theirId(table: string, column: string, value: string): Promise<string> {
    const { rows } = await admin.query<{ id: string }>(`SELECT id::text FROM ${table} WHERE client_id = $1 AND ${column} = $2`, [
      theirs,
      value,
    ]);
    return rows[0]!.id;
  }

  it("refuses a batch consuming the other client's lot, a transfer into its warehouse and a count line for its product", async () => {
    const theirLot = await theirId('traceability.ingredient_lot', 'tlc', 'DEMO-TLC-EGG-001');
    const theirWarehouse = await theirId('catalog.warehouse', 'code', 'JHB');
    const theirProduct = await theirId('catalog.product', 'sku', 'DEMO-003');
    await withClient(
      rolePool(APP_ROLE, mine),
      mine,
      async (tx) => {
        await expectSqlError(
          tx,
          () =>
            tx.query(
              `INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, quantity_used, consumed_at)
               SELECT id, $1, 1, produced_at FROM traceability.batch WHERE batch_number = 'DEMO-B-002'`,
              [theirLot],
            ),
          '23503',
          'batch_ingredient_ingredient_lot_id_fkey',
        );
        const [product, warehouse] = await Promise.all([
          tx.query<{ id: string }>("SELECT id::text FROM catalog.product WHERE sku = 'DEMO-001'"),
          tx.query<{ id: string }>("SELECT id::text FROM catalog.warehouse WHERE code = 'JHB'"),
        ]);
        await expectSqlError(
          tx,
          () =>
            postTransfer(tx, {
              productId: product.rows[0]!.id,
              fromWarehouseId: warehouse.rows[0]!.id,
              toWarehouseId: theirWarehouse,
              quantity: '1',
              transferId: randomUUID(),
            }),
          '23503',
          // The TRANSFER_IN's trigger opens the level at the destination first: the level's key refuses.
          'stock_level_warehouse_id_fkey',
        );
        await expectSqlError(
          tx,
          () =>
            tx.query(
              `WITH opened AS (INSERT INTO inventory.stock_count (warehouse_id) SELECT id FROM catalog.warehouse WHERE code = 'CPT' RETURNING id)
               INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty) SELECT id, $1, 1 FROM opened`,
              [theirProduct],
            ),
          '23503',
          'stock_count_line_product_id_fkey',
        );
      },
      { rollback: true },
    );
  });
});

describe('the materialized views', () => {
  it('are read through functions that return the rows of the client working, and of no other', async () => {
    const asApp = rolePool(APP_ROLE, mine);
    await withClient(
      asApp,
      mine,
      async (tx) => {
        await expectSqlError(tx, () => tx.query('SELECT 1 FROM inventory.mv_inventory_valuation'), '42501');
        await expectSqlError(tx, () => tx.query('SELECT 1 FROM inventory.mv_low_stock_alerts'), '42501');
        await expectSqlError(tx, () => tx.query('SELECT 1 FROM inventory.mv_product_stock_summary'), '42501');
      },
      { rollback: true },
    );
    // Without a client, the functions refuse rather than answer for nobody (or everybody).
    await transaction(
      rolePool(APP_ROLE),
      (tx) => expectSqlError(tx, () => tx.query('SELECT * FROM inventory.valuation_by_warehouse()'), '42501'),
      {
        rollback: true,
      },
    );
    const own = await admin.query<{ id: string }>('SELECT id::text FROM catalog.warehouse WHERE client_id = $1 ORDER BY code', [mine]);
    const { rows } = await asApp.query<{ warehouse_id: string }>('SELECT warehouse_id::text FROM inventory.valuation_by_warehouse()');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => own.rows.some((warehouse) => warehouse.id === row.warehouse_id))).toBe(true);
    const summary = await asApp.query<{ product_id: string }>('SELECT product_id::text FROM inventory.product_stock_summary()');
    const theirProducts = await count(admin, 'catalog.product WHERE client_id = $1 AND id = ANY ($2::bigint[])', [
      theirs,
      summary.rows.map((row) => row.product_id),
    ]);
    expect(summary.rows.length).toBeGreaterThan(0);
    expect(theirProducts).toBe(0);
  });
});
