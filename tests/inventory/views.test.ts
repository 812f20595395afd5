import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { postMovement } from '../../src/inventory/ledger.ts';
import { lowStockAlerts, refreshInventoryViews, valuationByWarehouse } from '../../src/inventory/views.ts';
import { pool, withRollback } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { catalogFixture } from './fixtures.ts';

const VIEWS = ['mv_inventory_valuation', 'mv_product_stock_summary', 'mv_low_stock_alerts'];

async function warehouseCode(client: pg.ClientBase, id: string): Promise<string> {
  return (await client.query('SELECT code FROM catalog.warehouse WHERE id = $1', [id])).rows[0].code;
}

describe('the inventory materialized views', () => {
  it('report valuation, product totals and low-stock buckets as of their last refresh', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await client.query('UPDATE catalog.product SET reorder_point = 5, reorder_qty = 20, safety_stock = 2 WHERE id = $1', [f.productId]);
      const [a, b] = [await warehouseCode(client, f.warehouseId), await warehouseCode(client, f.otherWarehouseId)];
      await postMovement(client, { type: 'RECEIPT', productId: f.productId, warehouseId: f.warehouseId, quantity: 10, unitCost: '50.00' });
      await postMovement(client, {
        type: 'RECEIPT',
        productId: f.productId,
        warehouseId: f.otherWarehouseId,
        quantity: 1,
        unitCost: '20.00',
      });
      expect((await valuationByWarehouse(client)).map((row) => row.warehouseCode)).not.toContain(a); // not refreshed yet

      await refreshInventoryViews(client);
      const valuation = (await valuationByWarehouse(client)).filter((row) => [a, b].includes(row.warehouseCode));
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
      const { rows: summary } = await client.query(
        'SELECT total_on_hand::text, available::text, warehouses_in_stock::int, total_value::text, average_cost::text FROM inventory.mv_product_stock_summary WHERE product_id = $1',
        [f.productId],
      );
      expect(summary).toEqual([
        { total_on_hand: '11.0000', available: '11.0000', warehouses_in_stock: 2, total_value: '520.0000', average_cost: '47.272727' },
      ]);
      expect(await lowStockAlerts(client, { warehouseId: f.otherWarehouseId })).toEqual([
        expect.objectContaining({ productId: f.productId, available: '1.0000', status: 'BELOW_MINIMUM', suggestedOrderQty: '20.0000' }),
      ]);

      // Reservations count against what is available; at 5 available the reorder point is reached.
      await client.query('UPDATE inventory.stock_level SET qty_reserved = 5 WHERE product_id = $1 AND warehouse_id = $2', [
        f.productId,
        f.warehouseId,
      ]);
      await postMovement(client, { type: 'ISSUE', productId: f.productId, warehouseId: f.otherWarehouseId, quantity: -1 });
      await refreshInventoryViews(client);
      const alerts = (await lowStockAlerts(client)).filter((alert) => alert.productId === f.productId);
      expect(alerts.map(({ warehouseCode: code, status, available }) => [code, status, available])).toEqual([
        [b, 'OUT_OF_STOCK', '0.0000'],
        [a, 'BELOW_REORDER_POINT', '5.0000'],
      ]);
    });
  });

  it('refresh CONCURRENTLY: readers and writers go on while a refresh holds its locks (a plain refresh would block them)', async () => {
    const f = await catalogFixture(pool());
    const refresher = await pool().connect();
    const other = await pool().connect();
    try {
      await other.query("SET lock_timeout = '500ms'");
      await refresher.query('BEGIN');
      await refreshInventoryViews(refresher); // its locks last until COMMIT
      await postMovement(other, { type: 'RECEIPT', productId: f.productId, warehouseId: f.warehouseId, quantity: 3, unitCost: 7 });
      for (const view of VIEWS) await other.query(`SELECT count(*) FROM inventory.${view}`);
      await refresher.query('COMMIT');

      // The control: a plain refresh locks readers out until it commits.
      await other.query('BEGIN');
      await refresher.query('BEGIN');
      await refresher.query('REFRESH MATERIALIZED VIEW inventory.mv_inventory_valuation');
      await expectSqlError(other, () => other.query('SELECT count(*) FROM inventory.mv_inventory_valuation'), '55P03');
      await other.query('ROLLBACK');
      await refresher.query('ROLLBACK');
    } finally {
      refresher.release();
      other.release();
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
    for (let i = 0; i < 5; i++) await refreshInventoryViews(pool());
    writing = false;
    const posted = (await Promise.all(writers)).reduce((sum, n) => sum + n, 0);

    await refreshInventoryViews(pool());
    const valuation = (await valuationByWarehouse(pool())).find((row) => row.warehouseId === f.warehouseId);
    const { rows } = await pool().query('SELECT qty_on_hand::text, total_value::text FROM inventory.stock_level WHERE warehouse_id = $1', [
      f.warehouseId,
    ]);
    expect(valuation).toMatchObject({ totalQuantity: `${posted}.0000`, totalValue: rows[0].total_value, productsInStock: 1 });
    expect(rows[0].qty_on_hand).toBe(`${posted}.0000`);
  });
});
