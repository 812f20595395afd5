/** The inventory materialized views: refresh, and the reports they serve. */
import type pg from 'pg';
import type { Id } from './ledger.ts';

/**
 * Refreshes the three inventory views CONCURRENTLY (readers keep the previous contents meanwhile)
 * and returns how long it took, in ms.
 */
export async function refreshInventoryViews(db: pg.Pool | pg.ClientBase): Promise<number> {
  const started = performance.now();
  await db.query('SELECT inventory.refresh_all_inventory_views()');
  return performance.now() - started;
}

export interface WarehouseValuation {
  warehouseId: string;
  warehouseCode: string;
  productsInStock: number;
  totalQuantity: string;
  totalValue: string;
  levelsWithoutCost: number;
}

/** Stock value per warehouse, from mv_inventory_valuation (as of its last refresh). */
export async function valuationByWarehouse(db: pg.Pool | pg.ClientBase): Promise<WarehouseValuation[]> {
  const { rows } = await db.query<WarehouseValuation>(
    `SELECT warehouse_id::text AS "warehouseId", warehouse_code AS "warehouseCode", products_in_stock::int AS "productsInStock",
            total_quantity::text AS "totalQuantity", total_value::text AS "totalValue", levels_without_cost::int AS "levelsWithoutCost"
       FROM inventory.mv_inventory_valuation ORDER BY warehouse_code`,
  );
  return rows;
}

export interface LowStockAlert {
  productId: string;
  warehouseId: string;
  sku: string;
  warehouseCode: string;
  available: string;
  status: 'OUT_OF_STOCK' | 'BELOW_MINIMUM' | 'BELOW_REORDER_POINT';
  suggestedOrderQty: string;
}

/** Low-stock alerts, worst first, from mv_low_stock_alerts (as of its last refresh). */
export async function lowStockAlerts(db: pg.Pool | pg.ClientBase, options: { warehouseId?: Id } = {}): Promise<LowStockAlert[]> {
  const { rows } = await db.query<LowStockAlert>(
    `SELECT product_id::text AS "productId", warehouse_id::text AS "warehouseId", sku, warehouse_code AS "warehouseCode",
            available::text, status, suggested_order_qty::text AS "suggestedOrderQty"
       FROM inventory.mv_low_stock_alerts
      WHERE $1::bigint IS NULL OR warehouse_id = $1
      ORDER BY CASE status WHEN 'OUT_OF_STOCK' THEN 0 WHEN 'BELOW_MINIMUM' THEN 1 ELSE 2 END, sku, warehouse_code`,
    [options.warehouseId === undefined ? null : String(options.warehouseId)],
  );
  return rows;
}
