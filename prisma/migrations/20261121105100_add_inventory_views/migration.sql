/*
 * add_inventory_views: the seed's three materialized views (seed 000, "3 Materialized Views") and
 * refresh_all_inventory_views(). Each has a unique index, so that it refreshes CONCURRENTLY
 * (readers are never blocked). Refresh after posting batches, not after each movement:
 * `npm run matviews:refresh`, or SELECT inventory.refresh_all_inventory_views().
 *
 * - mv_inventory_valuation: value, quantity and products in stock per warehouse.
 * - mv_product_stock_summary: on hand, reserved, available, value and average cost per product.
 * - mv_low_stock_alerts: stock levels that are out of stock, below minimum (safety stock) or at or
 *   below their reorder point, with a suggested order quantity (ERPNext's max(reorder qty, reorder
 *   point - available)).
 *
 * Prisma does not manage materialized views: they are hand-written and invisible to it.
 * Locks: ACCESS SHARE on the catalog and stock tables while the views are first filled.
 * Expected runtime: about 2 s per million stock levels. Rollback: down.sql (the views hold only
 * derived data). Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] materialized views
CREATE MATERIALIZED VIEW inventory.mv_inventory_valuation AS
SELECT w.id AS warehouse_id,
       w.code AS warehouse_code,
       w.name AS warehouse_name,
       count(l.id) FILTER (WHERE l.qty_on_hand > 0) AS products_in_stock,
       coalesce(sum(l.qty_on_hand), 0)::numeric(18, 4) AS total_quantity,
       coalesce(sum(l.total_value), 0)::numeric(19, 4) AS total_value,
       count(l.id) FILTER (WHERE l.qty_on_hand > 0 AND l.cost_price IS NULL) AS levels_without_cost,
       max(l.last_movement_at) AS last_movement_at
  FROM catalog.warehouse w
  LEFT JOIN inventory.stock_level l ON l.warehouse_id = w.id
 GROUP BY w.id, w.code, w.name;
-- squawk-ignore require-concurrent-index-creation -- safe here: the materialized view is created just above in this migration, so no other session can use it before the commit
CREATE UNIQUE INDEX mv_inventory_valuation_key ON inventory.mv_inventory_valuation (warehouse_id);
COMMENT ON MATERIALIZED VIEW inventory.mv_inventory_valuation IS
  'Stock value, quantity and products in stock per warehouse (levels without a known cost counted apart). Refreshed by inventory.refresh_all_inventory_views().';

CREATE MATERIALIZED VIEW inventory.mv_product_stock_summary AS
SELECT p.id AS product_id,
       p.sku,
       p.name,
       p.brand_id,
       coalesce(sum(l.qty_on_hand), 0)::numeric(18, 4) AS total_on_hand,
       coalesce(sum(l.qty_reserved), 0)::numeric(18, 4) AS total_reserved,
       coalesce(sum(l.qty_on_hand - l.qty_reserved), 0)::numeric(18, 4) AS available,
       count(l.id) FILTER (WHERE l.qty_on_hand > 0) AS warehouses_in_stock,
       coalesce(sum(l.total_value), 0)::numeric(19, 4) AS total_value,
       round(sum(l.total_value) / nullif(sum(l.qty_on_hand) FILTER (WHERE l.cost_price IS NOT NULL), 0), 6) AS average_cost
  FROM catalog.product p
  LEFT JOIN inventory.stock_level l ON l.product_id = p.id
 GROUP BY p.id, p.sku, p.name, p.brand_id;
-- squawk-ignore require-concurrent-index-creation -- safe here: the materialized view is created just above in this migration, so no other session can use it before the commit
CREATE UNIQUE INDEX mv_product_stock_summary_key ON inventory.mv_product_stock_summary (product_id);
COMMENT ON MATERIALIZED VIEW inventory.mv_product_stock_summary IS
  'On hand, reserved, available, value and average cost of each product over all warehouses. Refreshed by inventory.refresh_all_inventory_views().';

CREATE MATERIALIZED VIEW inventory.mv_low_stock_alerts AS
SELECT l.product_id,
       l.warehouse_id,
       p.sku,
       w.code AS warehouse_code,
       l.qty_on_hand,
       l.qty_reserved,
       (l.qty_on_hand - l.qty_reserved)::numeric(18, 4) AS available,
       p.safety_stock,
       p.reorder_point,
       p.reorder_qty,
       CASE
         WHEN l.qty_on_hand - l.qty_reserved <= 0 THEN 'OUT_OF_STOCK'
         WHEN l.qty_on_hand - l.qty_reserved < p.safety_stock THEN 'BELOW_MINIMUM'
         ELSE 'BELOW_REORDER_POINT'
       END AS status,
       greatest(coalesce(p.reorder_qty, 0), coalesce(p.reorder_point, 0) - (l.qty_on_hand - l.qty_reserved))::numeric(18, 4) AS suggested_order_qty
  FROM inventory.stock_level l
  JOIN catalog.product p ON p.id = l.product_id
  JOIN catalog.warehouse w ON w.id = l.warehouse_id
 WHERE p.is_active AND w.is_active
   AND (l.qty_on_hand - l.qty_reserved <= 0
        OR l.qty_on_hand - l.qty_reserved < p.safety_stock
        OR l.qty_on_hand - l.qty_reserved <= p.reorder_point);
-- squawk-ignore require-concurrent-index-creation -- safe here: the materialized view is created just above in this migration, so no other session can use it before the commit
CREATE UNIQUE INDEX mv_low_stock_alerts_key ON inventory.mv_low_stock_alerts (product_id, warehouse_id);
-- squawk-ignore require-concurrent-index-creation -- safe here: the materialized view is created just above in this migration, so no other session can use it before the commit
CREATE INDEX mv_low_stock_alerts_warehouse_status_idx ON inventory.mv_low_stock_alerts (warehouse_id, status);
COMMENT ON MATERIALIZED VIEW inventory.mv_low_stock_alerts IS
  'Stock levels of active products and warehouses that are OUT_OF_STOCK (nothing available), BELOW_MINIMUM (under safety stock) or BELOW_REORDER_POINT, with a suggested order quantity. Refreshed by inventory.refresh_all_inventory_views().';

CREATE OR REPLACE FUNCTION inventory.refresh_all_inventory_views()
RETURNS void
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  REFRESH MATERIALIZED VIEW CONCURRENTLY inventory.mv_inventory_valuation;
  REFRESH MATERIALIZED VIEW CONCURRENTLY inventory.mv_product_stock_summary;
  REFRESH MATERIALIZED VIEW CONCURRENTLY inventory.mv_low_stock_alerts;
END
$$;
COMMENT ON FUNCTION inventory.refresh_all_inventory_views() IS
  'Refreshes the three inventory materialized views CONCURRENTLY: readers keep reading the previous contents meanwhile.';
-- [CUSTOM_CHANGE_END]
