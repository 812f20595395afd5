/**
 * The seed: two demo clients, each seeded as the application role working for it, so that each
 * sees its own catalog, stock and genealogy only, and three small benchmark peers that make their
 * benchmark cohort publishable. The seed itself runs as an operator (the
 * superuser here): creating clients and refreshing the materialized views are an operator's.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { urlForRole } from '../../src/db/connect.ts';
import { type ClientPool, clientIdByCode, createClientPool } from '../../src/db/tenancy.ts';
import { lowStockAlerts, valuationByWarehouse } from '../../src/inventory/views.ts';
import { seed } from '../../src/seed/index.ts';
import { DEMO_CLIENTS } from '../../src/seed/step.ts';
import { traceForward } from '../../src/traceability/trace.ts';
import { APP_ROLE, scratchDatabase, templateName } from '../harness/db.ts';

/** Every tenant table (a table of a domain schema with client_id): what the seed may write. */
async function tenantTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE c.relkind IN ('r', 'p') AND a.attname = 'client_id' AND NOT a.attisdropped
        AND n.nspname NOT IN ('public', 'backup', 'pg_catalog', 'information_schema')
      ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/** Row counts of every tenant table per demo client, as the superuser sees them (every client's rows). */
async function countsByClient(client: pg.Client, tables: string[]): Promise<Record<string, Record<string, number>>> {
  const result: Record<string, Record<string, number>> = {};
  for (const table of tables) {
    const { rows } = await client.query<{ code: string; n: number }>(
      `SELECT c.code::text, (SELECT count(*)::int FROM ${table} t WHERE t.client_id = c.id) AS n
         FROM core.client c WHERE c.code = ANY($1) ORDER BY c.code`,
      [DEMO_CLIENTS.map((demo) => demo.code)],
    );
    result[table] = Object.fromEntries(rows.map((row) => [row.code, row.n]));
  }
  return result;
}

/** Row counts of `tables` that a pool of the application role sees. */
async function visibleCounts(pool: pg.Pool, tables: string[]): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of tables) result[table] = (await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  return result;
}

describe('the seed', () => {
  let client: pg.Client;
  let url: string;
  /** The application role's pool for each demo client, by code. */
  const pools = new Map<string, ClientPool>();

  beforeAll(async () => {
    ({ client, url } = await scratchDatabase({ template: templateName() }));
  });
  afterAll(() => Promise.all([...pools.values()].map((pool) => pool.end())));

  it('seeds two demo clients, each through the ledger as the application role, and a second run changes nothing', async () => {
    const lines: string[] = [];
    await seed(client, (line) => lines.push(line));
    expect(lines).toEqual([
      '[seed] DEMO-BAKERY: catalog and inventory demo data',
      '[seed] DEMO-BAKERY: traceability demo genealogy',
      '[seed] DEMO-BAKERY: fulfillment demo orders',
      '[seed] DEMO-BAKERY: finance demo budgets and cost tracking',
      '[seed] DEMO-BAKERY: benchmark opt-in',
      '[seed] DEMO-BAKERY: relief event demo data',
      '[seed] DEMO-DELI: catalog and inventory demo data',
      '[seed] DEMO-DELI: traceability demo genealogy',
      '[seed] DEMO-DELI: fulfillment demo orders',
      '[seed] DEMO-DELI: finance demo budgets and cost tracking',
      '[seed] DEMO-DELI: benchmark opt-in',
      '[seed] DEMO-DELI: relief event demo data',
      '[seed] DEMO-PEER-1: benchmark peer',
      '[seed] DEMO-PEER-2: benchmark peer',
      '[seed] DEMO-PEER-3: benchmark peer',
      '[seed] 15 steps done',
    ]);
    for (const demo of DEMO_CLIENTS) {
      const id = await clientIdByCode(client, demo.code);
      expect(id).toBeDefined();
      pools.set(demo.code, createClientPool(urlForRole(url, APP_ROLE), id!, { applicationName: `seed test ${demo.code}` }));
    }
    const [bakery, deli] = [pools.get('DEMO-BAKERY')!, pools.get('DEMO-DELI')!];

    // Every tenant table holds rows of both clients, as many of each.
    const tables = await tenantTables(client);
    expect(tables).toHaveLength(51);
    const first = await countsByClient(client, tables);
    const tablesWithoutBoth = Object.entries(first).filter(([, n]) => !(n['DEMO-BAKERY']! > 0 && n['DEMO-DELI']! > 0));
    expect(tablesWithoutBoth).toEqual([]);
    const uneven = Object.entries(first).filter(([, n]) => n['DEMO-BAKERY'] !== n['DEMO-DELI']);
    expect(uneven).toEqual([]);
    expect(first).toMatchObject({
      // The three demo warehouses and the relief event's transit warehouse.
      'catalog.warehouse': { 'DEMO-BAKERY': 4, 'DEMO-DELI': 4 },
      'catalog.product': { 'DEMO-BAKERY': 6, 'DEMO-DELI': 6 },
      'catalog.supplier_contact': { 'DEMO-BAKERY': 1, 'DEMO-DELI': 1 },
      // 15 of the catalog and inventory step, 1 of the posted demo shipment, 3 relief receipts and issues, the transfer's dispatch and partial receipt (2 + 2).
      'inventory.stock_movement': { 'DEMO-BAKERY': 23, 'DEMO-DELI': 23 },
      'replenishment.needs_list': { 'DEMO-BAKERY': 2, 'DEMO-DELI': 2 },
    });

    // Each client sees its own rows and none of the other's, in every table the application may read
    // (not the raw benchmark metrics, which it may not read at all).
    const { rows: readable } = await client.query<{ name: string }>(
      `SELECT name FROM unnest($1::text[]) AS name WHERE has_table_privilege('supply_ledger_app', name, 'SELECT')`,
      [tables],
    );
    expect(tables.filter((table) => !readable.some((row) => row.name === table))).toEqual(['benchmark.benchmark_client_metric']);
    for (const demo of DEMO_CLIENTS) {
      const own = Object.fromEntries(readable.map(({ name }) => [name, first[name]![demo.code]!]));
      expect(
        await visibleCounts(
          pools.get(demo.code)!,
          readable.map(({ name }) => name),
        ),
      ).toEqual(own);
    }

    // The same codes, the client's own quantities: the deli's are the bakery's times two.
    // JHB: flour 50 at 315.166667 (120 at 310 and 60 at 325.50; 95 issued, 5 returned, 30 moved to CPT, 10 shipped:
    // the posted demo shipment), sugar 22 at 540.
    expect((await valuationByWarehouse(bakery)).find((row) => row.warehouseCode === 'JHB')).toMatchObject({
      productsInStock: 2,
      totalQuantity: '72.0000',
      totalValue: '27638.3334',
    });
    // Flour 100 at the same 315.166667, sugar 44 at 540.
    expect((await valuationByWarehouse(deli)).find((row) => row.warehouseCode === 'JHB')).toMatchObject({
      productsInStock: 2,
      totalQuantity: '144.0000',
      totalValue: '55276.6667',
    });
    const alerts = async (pool: ClientPool) => (await lowStockAlerts(pool)).map((alert) => [alert.sku, alert.warehouseCode, alert.status]);
    // The relief event's demo ran Durban out of oral rehydration salts and moved some to it from Cape Town.
    expect(await alerts(bakery)).toEqual([
      ['DEMO-004', 'DBN', 'OUT_OF_STOCK'],
      ['DEMO-001', 'CPT', 'BELOW_REORDER_POINT'],
      ['DEMO-002', 'JHB', 'BELOW_REORDER_POINT'],
      ['DEMO-003', 'DBN', 'BELOW_REORDER_POINT'],
      ['DEMO-004', 'CPT', 'BELOW_REORDER_POINT'],
      ['DEMO-005', 'CPT', 'BELOW_REORDER_POINT'],
    ]);
    // Twice the stock, the same reorder points.
    expect(await alerts(deli)).toEqual([['DEMO-004', 'DBN', 'OUT_OF_STOCK']]);

    // The demo genealogy traces: the eggs reached both batches and the pallet, in each client's quantities.
    const eggs = async (pool: ClientPool) =>
      (await traceForward(pool, 'DEMO-TLC-EGG-001')).rows.map((row) => `${row.kind} ${row.code} ${row.quantity}`);
    expect(await eggs(bakery)).toEqual([
      'LOT DEMO-TLC-EGG-001 720.0000',
      'BATCH DEMO-B-001 120.0000',
      'BATCH DEMO-B-002 15.0000',
      'PALLET 106141411234567897 105.0000',
      // The demo shipment took part of the pallet away (add_shipment_trace_edges).
      'SHIPMENT DEMO-FX-0002 11.6667',
    ]);
    expect(await eggs(deli)).toEqual([
      'LOT DEMO-TLC-EGG-001 1440.0000',
      'BATCH DEMO-B-001 240.0000',
      'BATCH DEMO-B-002 30.0000',
      'PALLET 106141411234567897 210.0000',
      'SHIPMENT DEMO-FX-0002 23.3333',
    ]);

    // The demo clients' cohort is published for the month: the two of them and the three peers, the
    // minimum the database accepts; P75 and P90 stay withheld below 10 participants.
    const snapshots = async () =>
      (
        await bakery.query(
          `SELECT industry, size_band, participant_count, product_count_p50 IS NOT NULL AS has_p50, product_count_p75 IS NULL AS p75_withheld
             FROM benchmark.benchmark_snapshot WHERE period = date_trunc('month', current_date)::date`,
        )
      ).rows;
    const published = await snapshots();
    expect(published).toEqual([{ industry: 'FOOD', size_band: 'SMALL', participant_count: 5, has_p50: true, p75_withheld: true }]);
    expect(published[0].participant_count).toBeGreaterThanOrEqual(5);

    await seed(client, () => {});
    expect(await countsByClient(client, tables)).toEqual(first);
    expect(await snapshots()).toEqual(published);
    const consumed = async (pool: pg.Pool) =>
      (await pool.query(`SELECT consumed_quantity::text FROM traceability.ingredient_lot WHERE tlc = 'DEMO-TLC-EGG-001'`)).rows;
    expect(await consumed(bakery)).toEqual([{ consumed_quantity: '120.0000' }]);
    expect(await consumed(deli)).toEqual([{ consumed_quantity: '240.0000' }]);
  });
});
