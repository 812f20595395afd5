/**
 * The inventory materialized views, as an application reads them (through the functions that
 * return its client's rows) and an operator refreshes them (refresh_all_inventory_views() is not
 * the application role's: it computes every client's rows). Their data is committed, with codes
 * of their own: the refresh runs on the operator's connection, which sees no other transaction's
 * uncommitted rows.
 */
import { describe, expect, it } from '@jest/globals';
import { withClient } from '../../src/db/tenancy.ts';
import { postMovement } from '../../src/inventory/ledger.ts';
import { lowStockAlerts, refreshInventoryViews, valuationByWarehouse } from '../../src/inventory/views.ts';
import { adminPool, pool, withRollback } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { TEST_CLIENTS, type TestClient } from '../harness/template.ts';
import { catalogFixture, uniqueSuffix } from './fixtures.ts';

/** What the application reads each view through. */
const READERS = ['inventory.valuation_by_warehouse()', 'inventory.product_stock_summary()', 'inventory.low_stock_alerts()'];

async function warehouseCode(id: string): Promise<string> {
  return (await pool().query('SELECT code FROM catalog.warehouse WHERE id = $1', [id])).rows[0].code;
}

describe('the inventory materialized views', () => {
  it('report valuation, product totals and low-stock buckets as of their last refresh', async () => {
    const f = await catalogFixture(pool());
    await pool().query('UPDATE catalog.product SET reorder_point = 5, reorder_qty = 20, safety_stock = 2 WHERE id = $1', [f.productId]);
    const [a, b] = [await warehouseCode(f.warehouseId), await warehouseCode(f.otherWarehouseId)];
    await postMovement(pool(), { type: 'RECEIPT', productId: f.productId, warehouseId: f.warehouseId, quantity: 10, unitCost: '50.00' });
    await postMovement(pool(), {
      type: 'RECEIPT',
      productId: f.productId,
      warehouseId: f.otherWarehouseId,
      quantity: 1,
      unitCost: '20.00',
    });
    expect((await valuationByWarehouse(pool())).map((row) => row.warehouseCode)).not.toContain(a); // not refreshed yet

    await refreshInventoryViews(adminPool()); // the operator's
    const valuation = (await valuationByWarehouse(pool())).filter((row) => [a, b].includes(row.warehouseCode));
    expect(valuation).toEqual([
      {
        warehouseId: f.warehouseId,
        warehouseCode: a,
        productsInStock: 1,
        totalQuantity: '10.0000',
        totalValue: '500.0000',
        levelsWithoutCost: 0,
      },
      {
        warehouseId: f.otherWarehouseId,
        warehouseCode: b,
        productsInStock: 1,
        totalQuantity: '1.0000',
        totalValue: '20.0000',
        levelsWithoutCost: 0,
      },
    ]);
    const { rows: summary } = await pool().query(
      'SELECT total_on_hand::text, available::text, warehouses_in_stock::int, total_value::text, average_cost::text FROM inventory.product_stock_summary() WHERE product_id = $1',
      [f.productId],
    );
    expect(summary).toEqual([
      { total_on_hand: '11.0000', available: '11.0000', warehouses_in_stock: 2, total_value: '520.0000', average_cost: '47.272727' },
    ]);
    expect(await lowStockAlerts(pool(), { warehouseId: f.otherWarehouseId })).toEqual([
      expect.objectContaining({ productId: f.productId, available: '1.0000', status: 'BELOW_MINIMUM', suggestedOrderQty: '20.0000' }),
    ]);

    // Reservations count against what is available; at 5 available the reorder point is reached.
    await pool().query('UPDATE inventory.stock_level SET qty_reserved = 5 WHERE product_id = $1 AND warehouse_id = $2', [
      f.productId,
      f.warehouseId,
    ]);
    await postMovement(pool(), { type: 'ISSUE', productId: f.productId, warehouseId: f.otherWarehouseId, quantity: -1 });
    await refreshInventoryViews(adminPool());
    const alerts = (await lowStockAlerts(pool())).filter((alert) => alert.productId === f.productId);
    expect(alerts.map(({ warehouseCode: code, status, available }) => [code, status, available])).toEqual([
      [b, 'OUT_OF_STOCK', '0.0000'],
      [a, 'BELOW_REORDER_POINT', '5.0000'],
    ]);
  });

  it('refresh CONCURRENTLY: readers and writers go on while a refresh holds its locks (a plain refresh would block them)', async () => {
    const f = await catalogFixture(pool());
    // The operator's connection: refreshing is not the application role's.
    const refresher = await adminPool().connect();
    const waitingAtMost500ms = { rollback: true, lockTimeoutMs: 500 };
    try {
      await refresher.query('BEGIN');
      await refreshInventoryViews(refresher); // its locks last until COMMIT
      await withClient(
        pool(),
        TEST_CLIENTS.A.id,
        async (other) => {
          await postMovement(other, { type: 'RECEIPT', productId: f.productId, warehouseId: f.warehouseId, quantity: 3, unitCost: 7 });
          for (const reader of READERS) await other.query(`SELECT count(*) FROM ${reader}`);
        },
        waitingAtMost500ms,
      );
      await refresher.query('COMMIT');

      // The control: a plain refresh locks readers out until it commits.
      await refresher.query('BEGIN');
      await refresher.query('REFRESH MATERIALIZED VIEW inventory.mv_inventory_valuation');
      await withClient(
        pool(),
        TEST_CLIENTS.A.id,
        (other) => expectSqlError(other, () => other.query(`SELECT count(*) FROM ${READERS[0]}`), '55P03'),
        waitingAtMost500ms,
      );
      await refresher.query('ROLLBACK');
    } finally {
      refresher.release();
    }
  });

  it('refreshes while writers post, and then agrees with the stock levels', async () => {
    const f = await catalogFixture(pool());
    let writing = true;
    const writer = async () => {
      let posted = 0;
      while (writing || posted < 50) {
        await postMovement(pool(), {
          type: 'RECEIPT',
          productId: f.productId,
          warehouseId: f.warehouseId,
          quantity: 1,
          unitCost: posted % 7,
        });
        posted++;
      }
      return posted;
    };
    const writers = [writer(), writer(), writer()];
    for (let i = 0; i < 5; i++) await refreshInventoryViews(adminPool());
    writing = false;
    const posted = (await Promise.all(writers)).reduce((sum, n) => sum + n, 0);

    await refreshInventoryViews(adminPool());
    const valuation = (await valuationByWarehouse(pool())).find((row) => row.warehouseId === f.warehouseId);
    const { rows } = await pool().query('SELECT qty_on_hand::text, total_value::text FROM inventory.stock_level WHERE warehouse_id = $1', [
      f.warehouseId,
    ]);
    expect(valuation).toMatchObject({ totalQuantity: `${posted}.0000`, totalValue: rows[0].total_value, productsInStock: 1 });
    expect(rows[0].qty_on_hand).toBe(`${posted}.0000`);
  });
});

describe('the views of two clients', () => {
  it("show each client its own rows only, however alike the two clients' codes", async () => {
    const suffix = uniqueSuffix();
    const mine = await catalogFixture(pool(), suffix);
    const theirs = await catalogFixture(pool(TEST_CLIENTS.B), suffix);
    for (const [db, f, quantity] of [
      [pool(), mine, 10],
      [pool(TEST_CLIENTS.B), theirs, 1],
    ] as const) {
      await db.query('UPDATE catalog.product SET reorder_point = 20 WHERE id = $1', [f.productId]);
      await postMovement(db, { type: 'RECEIPT', productId: f.productId, warehouseId: f.warehouseId, quantity, unitCost: 4 });
    }
    await refreshInventoryViews(adminPool()); // the operator's: every client's rows at once

    const seen = async (client: TestClient) => ({
      warehouses: (await valuationByWarehouse(pool(client))).filter((row) => row.warehouseCode === `WA-${suffix}`),
      alerts: (await lowStockAlerts(pool(client)))
        .filter((alert) => alert.sku === mine.sku)
        .map((alert) => [alert.productId, alert.available]),
    });
    expect(await seen(TEST_CLIENTS.A)).toEqual({
      warehouses: [expect.objectContaining({ warehouseId: mine.warehouseId, totalQuantity: '10.0000', totalValue: '40.0000' })],
      alerts: [[mine.productId, '10.0000']],
    });
    expect(await seen(TEST_CLIENTS.B)).toEqual({
      warehouses: [expect.objectContaining({ warehouseId: theirs.warehouseId, totalQuantity: '1.0000', totalValue: '4.0000' })],
      alerts: [[theirs.productId, '1.0000']],
    });
  });

  it('answer nobody: without a client, the functions refuse (42501)', async () => {
    await withRollback(async (client) => {
      await client.query("SELECT set_config('app.client_id', '', true)");
      for (const reader of READERS) await expectSqlError(client, () => client.query(`SELECT * FROM ${reader}`), '42501');
    });
  });
});
