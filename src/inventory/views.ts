/** The inventory materialized views: refresh, and the reports they serve. */
import type { ClientScoped } from '../db/tenancy.ts';
import type { Queryable } from '../db/transaction.ts';
import type { Id } from './ledger.ts';

/**
 * Refreshes the three inventory views CONCURRENTLY (readers keep the previous contents meanwhile)
 * and returns how long it took, in ms. In a caller's transaction, the refresh commits or rolls back
 * with it.
 *
 * @example
 * const ms = await refreshInventoryViews(pool);
 */
export async function refreshInventoryViews(db: Queryable): Promise<number> {
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

/**
 * The client's stock value per warehouse, by warehouse code, from mv_inventory_valuation (as of its last refresh)
 * through inventory.valuation_by_warehouse(): the application roles cannot read the view itself.
 *
 * @example
 * const total = (await valuationByWarehouse(pool)).reduce((sum, w) => sum + Number(w.totalValue), 0);
 */
export async function valuationByWarehouse(db: ClientScoped): Promise<WarehouseValuation[]> {
  const { rows } = await db.query<WarehouseValuation>(
    `SELECT warehouse_id::text AS "warehouseId", warehouse_code AS "warehouseCode", products_in_stock::int AS "productsInStock",
            total_quantity::text AS "totalQuantity", total_value::text AS "totalValue", levels_without_cost::int AS "levelsWithoutCost"
       FROM inventory.valuation_by_warehouse()`,
  );
  return rows;
}

/** What mv_low_stock_alerts says of a level, worst first (its `status` CASE; tests/schema/types.test.ts pins the two together). */
export const LOW_STOCK_STATUSES = ['OUT_OF_STOCK', 'BELOW_MINIMUM', 'BELOW_REORDER_POINT'] as const;
export type LowStockStatus = (typeof LOW_STOCK_STATUSES)[number];

export interface LowStockAlert {
  productId: string;
  warehouseId: string;
  sku: string;
  warehouseCode: string;
  available: string;
  status: LowStockStatus;
  suggestedOrderQty: string;
}

/**
 * The client's low-stock alerts, worst first, from mv_low_stock_alerts (as of its last refresh) through
 * inventory.low_stock_alerts().
 *
 * @example
 * const outOfStock = (await lowStockAlerts(pool, { warehouseId: 1 })).filter((alert) => alert.status === 'OUT_OF_STOCK');
 */
export async function lowStockAlerts(db: ClientScoped, options: { warehouseId?: Id } = {}): Promise<LowStockAlert[]> {
  const { rows } = await db.query<LowStockAlert>(
    `SELECT product_id::text AS "productId", warehouse_id::text AS "warehouseId", sku, warehouse_code AS "warehouseCode",
            available::text, status, suggested_order_qty::text AS "suggestedOrderQty"
       FROM inventory.low_stock_alerts($1::bigint)`,
    [options.warehouseId === undefined ? null : String(options.warehouseId)],
  );
  return rows;
}
